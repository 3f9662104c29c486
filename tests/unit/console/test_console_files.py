"""Which console file a path names, how it is typed and guarded, and that the vendored libraries are the ones noted."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from quorum_console.adapters.package_files import PackagedFiles
from quorum_console.domain.assets import Wanted, content_security_policy, content_type, wanted
from quorum_console.service.files import AssetNotFound, serve

STATIC = PackagedFiles()


@pytest.mark.parametrize("path, expected", [
    ("/console", Wanted("page", "index.html")),
    ("/console/", Wanted("page", "index.html")),
    ("/console/queue", Wanted("page", "index.html")),
    ("/console/cases/case-1f2e", Wanted("page", "index.html")),
    ("/console/js/main.js", Wanted("file", "js/main.js")),
    ("/console/vendor/preact-11.2.0/preact.mjs", Wanted("file", "vendor/preact-11.2.0/preact.mjs")),
])
def test_app_routes_get_the_page_and_file_names_get_the_file(path: str, expected: Wanted) -> None:
    assert wanted(path) == expected


@pytest.mark.parametrize("path", ["/console/../template.yaml", "/console/js/../../x.js", "/console/.env",
                                  "/console/js//main.js", "/consoles/x.js", "/v1/health", "/console/%2e%2e/x.js"])
def test_paths_that_could_leave_the_console_name_nothing(path: str) -> None:
    assert wanted(path) is None


def test_each_kind_of_file_has_its_content_type() -> None:
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("js/main.js") == content_type("vendor/htm-3.1.1/htm.mjs") == "text/javascript; charset=utf-8"
    assert (content_type("console.css"), content_type("favicon.svg")) == ("text/css; charset=utf-8", "image/svg+xml")
    assert content_type("vendor/preact-11.2.0/LICENSE") is None and content_type("x.py") is None


def test_the_page_runs_its_import_map_by_hash_and_talks_to_its_own_origin_only() -> None:
    index = STATIC.read("index.html")
    import_map = re.search(r'<script type="importmap">(.*?)</script>', index, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    policy = content_security_policy(index)
    assert f"script-src 'self' 'sha256-{digest}'" in policy
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy and "img-src 'self' data:" in policy


def test_serving_answers_files_pages_and_refuses_the_rest() -> None:
    page = serve("/console/tasks/case-9", STATIC)
    assert page.content_type.startswith("text/html") and "Content-Security-Policy" in page.headers
    script = serve("/console/js/main.js", STATIC)
    assert "render(" in script.body and "Content-Security-Policy" not in script.headers
    for missing in ("/console/js/nothing.js", "/console/../template.yaml", "/console/vendor/preact-11.2.0/LICENSE.md"):
        with pytest.raises(AssetNotFound):
            serve(missing, STATIC)


def test_every_file_the_page_imports_is_shipped() -> None:
    index = STATIC.read("index.html")
    referenced = set(re.findall(r'"/console/([^"]+)"', index)) | set(re.findall(r'(?:href|src)="/console/([^"]+)"', index))
    for name in STATIC.names:
        if name.endswith(".js"):
            folder = name.rsplit("/", 1)[0]
            for relative in re.findall(r'from "\.(\.?/[^"]+)"', STATIC.read(name)):
                parts = (folder + "/" + ("." + relative)).split("/")
                stack: list[str] = []
                for part in parts:
                    if part == "..":
                        stack.pop()
                    elif part not in (".", ""):
                        stack.append(part)
                referenced.add("/".join(stack))
    assert referenced - STATIC.names == set()


def test_the_vendored_libraries_are_the_files_their_note_names() -> None:
    note = STATIC.read("vendor/README.txt")
    listed = dict((name, digest) for digest, name in re.findall(r"sha256 ([0-9a-f]{64})  (\S+)", note))
    assert set(listed) == {"preact-11.2.0/preact.mjs", "preact-11.2.0/hooks.mjs", "htm-3.1.1/htm.mjs"}
    for name, digest in listed.items():
        assert hashlib.sha256(STATIC.read(f"vendor/{name}").encode()).hexdigest() == digest, name
    assert {"vendor/preact-11.2.0/LICENSE", "vendor/htm-3.1.1/LICENSE"} <= STATIC.names
