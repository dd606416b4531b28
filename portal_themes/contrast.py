"""WCAG 2.2 contrast (success criterion 1.4.3, level AA: 4.5:1 for text) and the nearest
passing shade of a colour, for white text on the theme's primary and accent colours."""

from __future__ import annotations

import colorsys

AA_TEXT = 4.5
TEXT_ON_THEME = "#ffffff"  # the header, buttons and the notices banner write white on the theme's colours


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def passes(background: str, text: str = TEXT_ON_THEME) -> bool:
    return contrast_ratio(background, text) >= AA_TEXT


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (r, g, b))


def nearest_passing_shade(background: str, text: str = TEXT_ON_THEME) -> str:
    """The lightest shade of `background` (same hue and saturation, less lightness) that white
    text passes on: the smallest change that makes it pass. A passing colour comes back as is."""
    background = background.lower()
    if passes(background, text):
        return background
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    low, high = 0.0, lightness  # black passes; the colour itself does not
    for _ in range(30):
        middle = (low + high) / 2
        if passes(_hex(*colorsys.hls_to_rgb(hue, middle, saturation)), text):
            low = middle
        else:
            high = middle
    shade = _hex(*colorsys.hls_to_rgb(hue, low, saturation))
    while not passes(shade, text):  # rounding to whole channels can land a hair short
        low -= 0.002
        shade = _hex(*colorsys.hls_to_rgb(hue, max(low, 0.0), saturation))
    return shade
