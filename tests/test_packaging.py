from pathlib import Path

import pytest

import summarizer
from summarizer import prompts


def test_installed_package_carries_its_templates() -> None:
    package = Path(summarizer.__file__).resolve().parent
    if "site-packages" not in package.parts:
        pytest.skip("running from a source checkout; CI runs this against the installed wheel")
    assert prompts._template_dir() == package / "prompts"
    shipped = {p.name for p in (package / "prompts").glob("*.j2")}
    assert shipped == {name for names in prompts.TEMPLATES.values() for name in names}


def test_public_api_is_exported() -> None:
    for name in (
        "summarize",
        "asummarize",
        "summarize_file",
        "Summarizer",
        "Summary",
        "SummarizerError",
    ):
        assert name in summarizer.__all__ and hasattr(summarizer, name)
    assert issubclass(summarizer.InputError, summarizer.SummarizerError)
    assert issubclass(summarizer.BackendError, summarizer.SummarizerError)
    assert issubclass(summarizer.ValidationFailedError, summarizer.SummarizerError)
    assert issubclass(summarizer.ConfigurationError, summarizer.SummarizerError)


def test_settings_repr_hides_the_key() -> None:
    settings = summarizer.resolve_settings(api_key="sk-secret-123", env={})
    assert "sk-secret-123" not in repr(settings)
