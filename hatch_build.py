"""Hatchling build hook: ship the content's compiled templates and parsed files in the wheel (generator.prebuild).

A wheel gets them as generator/_prebuilt/ (pip byte-compiles the template modules at install);
an editable install writes the same folder into the checkout (ignored by git), since the
package is read from there. Without it the tool still works: it compiles and parses on first use.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "prebuild"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, self.root)
        try:
            from generator import prebuild
        finally:
            sys.path.remove(self.root)
        if version == "editable":
            try:
                self.app.display_info(prebuild.write(Path(self.root, "generator", "_prebuilt"), byte_compile=True))
            except Exception as exc:  # a checkout with broken content still installs; the tool reports the problem
                self.app.display_warning(f"content not prebuilt: {exc}")
            return
        self._folder = tempfile.mkdtemp(prefix="handbook-prebuilt-")
        self.app.display_info(prebuild.write(Path(self._folder, "_prebuilt")))
        build_data["force_include"][str(Path(self._folder, "_prebuilt"))] = "generator/_prebuilt"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_folder", None):
            shutil.rmtree(self._folder, ignore_errors=True)
