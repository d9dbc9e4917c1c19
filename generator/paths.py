"""Where the tool's own data lives: the one place code asks for content/, site_templates/ and the rest.

The repository keeps content/, site_templates/, profiles/ and the base mkdocs.yml at its top
level, beside generator/; that is the single source. A wheel (and so an sdist, which builds
one) carries them inside the package as generator/_data/, mapped there by the build
(pyproject.toml, hatchling's force-include); nothing is copied by hand. An editable install
or a plain checkout has no generator/_data/ and reads the top-level folders directly.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # the package's folder (it is installed as files, never zipped)
SHIPPED = PACKAGE / "_data"
ROOT = SHIPPED if SHIPPED.is_dir() else PACKAGE.parent
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "site_templates"
BASE_CONFIG = ROOT / "mkdocs.yml"
EXAMPLES = ROOT / "profiles"
# Every folder of the tool's own code and data: never an output folder.
OWN = (PACKAGE, CONTENT, TEMPLATES, EXAMPLES)
