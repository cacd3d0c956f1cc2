"""Every URL of ours has an access test (DESIGN section 9)."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests

# Third-party URL trees with their own tests; our restyling of allauth is tested separately.
EXTERNAL_NAMESPACES = {"admin"}
EXTERNAL_MODULE_PREFIXES = ("allauth.", "django.contrib.admin")


def _our_url_names(patterns=None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXTERNAL_NAMESPACES:
                continue
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module.startswith(EXTERNAL_MODULE_PREFIXES):
                continue
            names |= _our_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_module = getattr(pattern.callback, "__module__", "")
            if view_module.startswith(EXTERNAL_MODULE_PREFIXES):
                continue
            assert pattern.name, f"URL {pattern.pattern} has no name"
            names.add(pattern.name)
    return names


def _access_modules() -> list:
    return [
        importlib.import_module(module_info.name)
        for module_info in pkgutil.walk_packages(tests.__path__, "tests.")
        if module_info.name.rsplit(".", 1)[-1].startswith("test_access")
    ]


def _access_cases() -> list:
    return [case for module in _access_modules() for case in module.CASES]


def test_every_url_of_ours_has_an_access_case():
    covered = {case.name for case in _access_cases()}
    missing = _our_url_names() - covered
    assert not missing, f"URLs with no access test: {sorted(missing)}"


def test_every_access_case_names_a_real_url():
    unknown = {case.name for case in _access_cases()} - _our_url_names()
    assert not unknown, f"Access cases for URLs that do not exist: {sorted(unknown)}"


def test_every_case_says_what_each_visitor_gets():
    from tests.access import VISITORS

    for case in _access_cases():
        assert set(case.expect) == set(VISITORS), case


def test_every_module_with_ids_in_its_urls_tries_another_programmes_ids():
    """A URL that takes an id is also tried with the id of the same kind of object in another
    programme (tests.access.check_other_programme_ids)."""
    missing = [
        module.__name__
        for module in _access_modules()
        if any(case.takes_ids for case in module.CASES)
        and not hasattr(module, "test_other_programme_ids")
    ]
    assert not missing, f"Access tests with no other-programme ids: {missing}"


def test_every_access_test_runs_plain_and_with_htmx():
    import inspect

    plain_only = [
        module.__name__
        for module in _access_modules()
        if "htmx" not in inspect.signature(module.test_access).parameters
    ]
    assert not plain_only
