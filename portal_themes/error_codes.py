"""The codes of portal_themes's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Never change a value once released.
"""

COLOR_CONTRAST_LOW = "color_contrast_low"
LINK_LINE_INVALID = "link_line_invalid"
LINK_URL_INVALID = "link_url_invalid"
LOGO_NOT_IMAGE = "logo_not_image"
LOGO_SVG_INVALID = "logo_svg_invalid"
LOGO_SVG_UNSAFE = "logo_svg_unsafe"
LOGO_TOO_LARGE = "logo_too_large"
NOTICE_DATE_INVALID = "notice_date_invalid"
NOTICE_DATE_PAST = "notice_date_past"
NOTICE_DATE_REQUIRED = "notice_date_required"
NOTHING_TO_ROLL_BACK = "nothing_to_roll_back"
PRESET_UNKNOWN = "preset_unknown"
