"""HTML fragments that escape by construction: markup the code wrote, text from input as text.

A report shows names, sources, notes, workbook origins and file names that counties, parks and
departments wrote. Put into Markdown or into an HTML string as they are, they become markup (a
region named ``<img src=x onerror=…>`` runs script in the reviewer's browser; ``[x](javascript:…)``
becomes a link). :class:`Html` is a string that *is* markup, and :func:`html` fills a template the
code wrote: every value that is not already :class:`Html` is escaped (numbers are formatted as the
field says). So the only markup in a fragment is markup written in the code, and a notebook shows
a fragment with ``display(fragment)`` (Jupyter and nbconvert call ``_repr_html_``), never through
``IPython.display.Markdown``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

from inventory.core.safetext import html_text

__all__ = ["ILLUSTRATIVE", "Html", "escape", "html"]


class Html(str):
    """A string of HTML markup (not text). Adding or joining plain strings escapes them."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __add__(self, other: object) -> Html:
        return Html(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> Html:
        return Html(str.__add__(escape(other), self))

    def join(self, parts: Iterable[object]) -> Html:
        return Html(str.join(self, (escape(part) for part in parts)))


def escape(value: object) -> Html:
    """``value`` as HTML: an :class:`Html` fragment as it is, anything else as escaped text."""
    return value if isinstance(value, Html) else Html(html_text(value))


def _field(value: object) -> object:
    if isinstance(value, Html):
        return value
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value  # formatted by the field's own spec ({:,.2f}); a number holds no markup
    return html_text(value)


def html(template: str, *args: object, **kwargs: object) -> Html:
    """``template`` — markup written in the code — with its ``{}`` fields filled: :class:`Html` values
    as they are, numbers by the field's format spec, everything else escaped.

    >>> html("<b>{}</b> · {:,.1f} t", "<i>x</i>", 1234.56)
    '<b>&lt;i&gt;x&lt;/i&gt;</b> · 1,234.6 t'
    """
    return Html(template.format(*map(_field, args), **{name: _field(v) for name, v in kwargs.items()}))


#: the banner of a report on illustrative data (records whose source says 示例数据)
ILLUSTRATIVE = Html("<blockquote><b>示例数据，非官方统计</b> — illustrative data, not official statistics."
                    "</blockquote>")
