"""Browser journeys: Debian's Chromium driven by Playwright against the live server.

One Chromium runs for the whole session; every test gets a fresh context
(cookies, language, viewport). A failing test leaves a full-page screenshot
in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would
# otherwise refuse ORM calls made from the test body.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = E2E_DIR.parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is a browser journey."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Keep each phase's report on the item (rep_setup, rep_call) for the page fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Generator[Any]:
    executable = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        pytest.fail(
            f"Chromium not found at {executable}. Install Debian's package "
            "(apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH; "
            "`playwright install` is not used by this project.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _screenshot_name(nodeid: str, suffix: str = "") -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:200] + suffix + ".png"


def _page_in_context(
    request: pytest.FixtureRequest, browser: Any, suffix: str = "", **options: Any
) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Anything the Content-Security-Policy blocks (an inline style or script
    # without the nonce, an outside asset) fails the journey.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    node = request.node
    failed = any(
        getattr(node, f"rep_{when}", None) is not None and getattr(node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(
                path=str(ARTIFACTS_DIR / _screenshot_name(node.nodeid, suffix)), full_page=True
            )
        except Exception as exc:  # the test already failed; say why no picture
            print(f"screenshot failed: {exc}")
    context.close()
    if blocked:
        pytest.fail("blocked by the Content-Security-Policy:\n" + "\n".join(blocked), pytrace=False)


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any) -> Generator[Any]:
    """A desktop-size tab (1280x900) in a fresh context, Chinese browser locale."""
    yield from _page_in_context(request, browser, **DESKTOP)


@pytest.fixture
def mobile_page(request: pytest.FixtureRequest, browser: Any) -> Generator[Any]:
    """A phone-size tab (390x844, mobile, touch) in a fresh context."""
    yield from _page_in_context(request, browser, suffix="-phone", **PHONE)


@pytest.fixture
def other_page(request: pytest.FixtureRequest, browser: Any) -> Generator[Any]:
    """A second desktop tab in a context of its own: another person at another computer."""
    yield from _page_in_context(request, browser, suffix="-other", **DESKTOP)


@pytest.fixture
def demo(live_server: Any, transactional_db: None) -> str:
    """The demo data (regions, one account per role) on the live server; returns its URL."""
    from onestop.core.demo import demo_load

    demo_load()
    return live_server.url


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Any:
    """The assert_accessible helper, for test modules (conftest is not importable by name)."""
    return assert_accessible


def assert_accessible(page: Any) -> None:
    """Fail on every serious or critical axe-core violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
    for violation in blocking:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').strip()}")
    pytest.fail("\n".join(lines), pytrace=False)
