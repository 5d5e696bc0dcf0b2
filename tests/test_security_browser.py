"""Every page works in a real Chromium under the Content-Security-Policy, and reports no violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
REPORT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture
def page(browser: Browser, web_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=web_server, locale="de-DE")
    context.add_init_script(REPORT_VIOLATIONS)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def _violations(page: Page, console: list[str]) -> list[str]:
    reported: list[str] = page.evaluate("window.__cspViolations")
    return reported + [text for text in console if "Content Security Policy" in text]


@pytest.mark.parametrize(("path", "selector", "text"), [
    ("/", "main", "Häufige Fragen"),
    ("/abfragen", "main", "Abfragen"),
    ("/lueckenmatrix", "main", "Lückenmatrix"),
    ("/datenqualitaet", "main", "Datenqualität"),
    ("/quellen", "main", "Quellen"),
    ("/id/offer/of-thekiz-altstadt", "main", "ThEKiZ Kita Altstadt"),
    ("/docs", "#swagger-ui", "/api/queries/{name}"),
    ("/karte", "#karte-legend", "Versorgungslücken"),
])
def test_page_works_under_the_csp_without_violations(page: Page, path: str, selector: str, text: str) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    answer = page.goto(path)
    assert answer is not None and answer.status == 200
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    expect(page.locator(selector)).to_contain_text(text, timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert _violations(page, console) == []


def test_sparql_editor_runs_a_query_under_the_csp(page: Page) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto("/sparql-editor")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(".yasr")).to_contain_text("ThEKiZ Kita Altstadt", timeout=20_000)
    assert _violations(page, console) == []
    policy = page.evaluate("async () => (await fetch('/sparql-editor')).headers.get('content-security-policy')")
    assert "script-src 'self';" in policy, "inline styles for YASGUI, never inline scripts"


def test_an_inline_script_is_blocked(page: Page, web_server: str) -> None:
    """The control: the policy really is enforced, so an injected inline script would not run."""
    page.goto("/quellen")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.appendChild(script);
    }""")
    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in violation for violation in page.evaluate("window.__cspViolations"))
