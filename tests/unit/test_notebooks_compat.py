"""compat.py names the versions of the packages whose internals it relies on, and checks them."""

from __future__ import annotations

from importlib import metadata

from cohort_tools.notebooks import compat


def test_the_installed_packages_are_the_versions_compat_relies_on() -> None:
    assert compat.check_versions() == []


def test_a_different_minor_version_is_reported_naming_the_package_and_the_fix() -> None:
    def installed(package: str) -> str:
        return "0.10.1" if package == "nbgrader" else metadata.version(package)

    problems = compat.check_versions(installed)
    assert len(problems) == 1
    assert "nbgrader 0.10.1 is installed" in problems[0] and "0.9.x" in problems[0]
    assert "RELIED_ON" in problems[0]


def test_a_patch_release_is_accepted() -> None:
    def installed(package: str) -> str:
        return compat.RELIED_ON[package] + ".99"

    assert compat.check_versions(installed) == []
