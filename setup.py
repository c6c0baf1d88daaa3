"""Build hook: ship the top-level templates/ and static/ inside the installed package.

The repository keeps templates/ and static/ beside portfolio/ (the project's layout); an
installed wheel has no checkout around it, so they are copied into portfolio/templates and
portfolio/static at build time. Everything else is configured in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("templates", "static")


class BuildPyWithResources(build_py):
    """Copy the page templates and static files into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:
            return  # an editable install serves them from the checkout
        for name in RESOURCES:
            self.copy_tree(name, str(Path(self.build_lib) / "portfolio" / name))


setup(cmdclass={"build_py": BuildPyWithResources})
