"""The inside-the-project test on path strings agrees with pathlib's, component by component."""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead_sync.desired.projectfiles import _inside

components = st.sampled_from(["", "a", "ab", "b", ".", "..", "a b", "é"])
paths = (
    st.lists(components, max_size=5)
    .map("/".join)
    .flatmap(lambda rest: st.sampled_from(["/", "//", "///"]).map(lambda lead: lead + rest))
)


@settings(max_examples=500, deadline=None)
@given(paths, paths)
def test_inside_is_is_relative_to_on_normalized_absolute_paths(path: str, root: str) -> None:
    path, root = posixpath.normpath(path), posixpath.normpath(root)
    assert _inside(path, root) is PurePosixPath(path).is_relative_to(PurePosixPath(root))


def test_a_sibling_with_the_same_prefix_is_outside() -> None:
    assert not _inside("/work/project-evil/x.csv", "/work/project")
    assert _inside("/work/project/x.csv", "/work/project")
    assert _inside("/work/project", "/work/project")
    assert _inside("/x.csv", "/")
