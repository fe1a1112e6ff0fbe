"""inventory.present.html: fragments whose only markup is the markup the code wrote."""

import numpy as np

from inventory.present.html import Html, escape, html

PAYLOAD = """<img src=x onerror="document.title='PWNED'">隆回"""
ESCAPED = "&lt;img src=x onerror=&quot;document.title=&#x27;PWNED&#x27;&quot;&gt;隆回"


def test_every_text_field_is_escaped_and_the_template_is_kept():
    fragment = html("<p><b>{}</b> · {name}</p>", PAYLOAD, name="[x](javascript:alert(1)) & <script>")
    assert fragment == f"<p><b>{ESCAPED}</b> · [x](javascript:alert(1)) &amp; &lt;script&gt;</p>"
    assert isinstance(fragment, Html) and fragment._repr_html_() == str(fragment)


def test_numbers_follow_the_field_format_and_fragments_are_kept_as_markup():
    # 1234.5 / 1e4 = 0.12345 → "0.12"; 0.0449 → "4.5%"; np.int64 formats like an int
    assert html("{:,.2f} 万吨 · {:.1%} · {:,}", 1234.5 / 1e4, 0.0449, np.int64(12000)) == "0.12 万吨 · 4.5% · 12,000"
    assert html("<p>{}</p>", html("<code>{}</code>", "<x>")) == "<p><code>&lt;x&gt;</code></p>"
    assert html("{}", True) == "True"  # a bool is text, not a number to format


def test_adding_and_joining_escape_plain_strings():
    assert Html("<p>") + "<i>" == "<p>&lt;i&gt;" and isinstance(Html("<p>") + "<i>", Html)
    assert "<i>" + Html("<p>") == "&lt;i&gt;<p>" and isinstance("<i>" + Html("<p>"), Html)
    assert Html("<br>").join(["a<", Html("<b>b</b>")]) == "a&lt;<br><b>b</b>"
    assert escape(PAYLOAD) == ESCAPED and escape(Html("<b>")) == "<b>"
