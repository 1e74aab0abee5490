from pathlib import Path

import pytest

import summarizer
from summarizer.extraction import prompts


def test_installed_package_carries_its_templates() -> None:
    package = Path(summarizer.__file__).resolve().parent
    if "site-packages" not in package.parts:
        pytest.skip("running from a source checkout; CI runs this against the installed wheel")
    assert prompts._template_dir() == package / "prompts"
    shipped = {p.name for p in (package / "prompts").glob("*.j2")}
    assert shipped == {name for names in prompts.TEMPLATES.values() for name in names}


def test_built_in_gold_sets_load_by_name() -> None:
    from summarizer.evaluation.gold import BUILT_IN, gold_path, load_gold

    package = Path(summarizer.__file__).resolve().parent
    for name in BUILT_IN:
        assert len(load_gold(Path(name))) >= 3
        if "site-packages" in package.parts:  # the installed wheel carries them
            assert gold_path(name).is_relative_to(package)
    if "site-packages" in package.parts:
        assert "CC BY-SA 4.0" in (package / "eval" / "NOTICE.md").read_text()


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


def test_word_lists_are_data_files_that_agree_with_each_other() -> None:
    """The rules' word lists ship as TOML beside the code; every code a list names is a
    state of the table, and a wheel carries the files."""
    from summarizer.extraction import wordfiles

    package = Path(summarizer.__file__).resolve().parent
    shipped = {p.name for p in (package / "extraction" / "words").glob("*.toml")}
    assert shipped == {"bodies.toml", "lexicon.toml", "states.toml"}
    states = wordfiles.load("states")
    codes = set(states["states"])
    assert len(codes) > 190
    assert set(states["capitals"].values()) <= codes
    assert set(states["shared"].values()) <= codes
    known = wordfiles.load("bodies")["known"]
    assert {k["country"] for k in known} - {""} <= codes
    assert all(k["forms"] and k["kind"] in ("organisation", "group") for k in known)
    assert "minister" in wordfiles.words("lexicon", "titles")
