"""The codes of catalog's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Give every `ValidationError` (and `add_error` with a message) one of these as `code=`;
tests/lib/test_error_codes.py fails on one without. Never change a value once released.
"""

AVERAGE_DAYS_MISSING = "average_days_missing"
BPMN_EMPTY_PROCESS = "bpmn_empty_process"
BPMN_NOT_DEFINITIONS = "bpmn_not_definitions"
BPMN_NOT_UTF = "bpmn_not_utf"
BPMN_NOT_XML = "bpmn_not_xml"
BPMN_NO_PROCESS = "bpmn_no_process"
BPMN_TOO_LARGE = "bpmn_too_large"
BPMN_UNKNOWN_NODES = "bpmn_unknown_nodes"
CARD_INCOMPLETE = "card_incomplete"
DUPLICATE_ID = "duplicate_id"
FORM_FILE_EMPTY = "form_file_empty"
FORM_FILE_TOO_LARGE = "form_file_too_large"
FORM_FILE_TYPE_REFUSED = "form_file_type_refused"
INVALID_URL = "invalid_url"
INVALID_YES_NO = "invalid_yes_no"
MISSING_COLUMN = "missing_column"
NATIONAL_SERVICE_RETIRED = "national_service_retired"
NATIONAL_SERVICE_UNKNOWN = "national_service_unknown"
NOT_PUBLISHABLE = "not_publishable"
UNKNOWN_PARENT = "unknown_parent"
UNKNOWN_UNIT = "unknown_unit"
UNREADABLE_WORKBOOK = "unreadable_workbook"
WORKFLOW_STAGES_MISSING = "workflow_stages_missing"
FEE_CHANGE_DECIDED = "fee_change_decided"
FEE_CHANGE_SAME_ADMIN = "fee_change_same_admin"
