"""No surprises (issue 16): each case a curator met on a second corpus, through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import REPO, Run

Write = Callable[[str, str], Path]
ITEM = "items:\n  - id: a\n    title: A\n    date: 2026-03-16\n    themes: [funding]\n"


# --- pulse.yaml: aliases and weights -------------------------------------------------------


def test_an_alias_that_is_another_themes_key_or_alias_is_refused_at_its_position(run: Run, write: Write) -> None:
    write(
        "pulse.yaml",
        "themes:\n  policy:\n    title: Policy\n    aliases: [funding, mna, rules]\n  law:\n    title: Law\n    aliases: [Rules]\n",
    )
    write("digests/a.yaml", ITEM)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "pulse.yaml:4:15: alias 'funding' of theme 'policy' is the key of theme 'funding'; remove it from the aliases of 'policy'\n"
        "pulse.yaml:4:24: alias 'mna' of theme 'policy' is already an alias of theme 'sector' (built in); give each alias to one theme\n"
        "pulse.yaml:7:15: alias 'rules' of theme 'law' is already an alias of theme 'policy' (at line 4); give each alias to one theme\n"
        "error: pulse.yaml is not valid\n"
    )


def test_a_theme_key_that_is_a_builtin_alias_is_refused(run: Run, write: Write) -> None:
    write("pulse.yaml", "themes:\n  mna: {title: Mergers}\n")
    write("digests/a.yaml", ITEM)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "pulse.yaml:2:3: theme key 'mna' is a built-in alias of theme 'sector'; choose another key "
        "(or set the aliases of 'sector' without it)\n"
    )


def test_an_alias_freed_by_removing_or_re_aliasing_its_theme_may_be_taken(run: Run, write: Write) -> None:
    write("pulse.yaml", "themes:\n  sector: {aliases: [m&a]}\n  deals: {title: Deals, aliases: [mna]}\n")
    write("digests/a.yaml", ITEM.replace("[funding]", "[mna]"))
    result = run("list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert ",deals," in result.stdout


def test_negative_weights_and_half_lives_are_refused_at_their_line(run: Run, write: Write) -> None:
    write("pulse.yaml", "ranking:\n  importance: -1\n  money: 0\n  half_life_days: 0\n  boost: -0.5\n")
    write("digests/a.yaml", ITEM)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "pulse.yaml:2:15: the weight 'importance' must be 0 or more, not -1 (0 turns that part off; 1 is the default)\n"
        "pulse.yaml:4:19: 'half_life_days' must be more than 0 days, not 0 (7 is the default)\n"
        "pulse.yaml:5:10: the weight 'boost' must be 0 or more, not -0.5 (0 turns that part off; 1 is the default)\n"
        "error: pulse.yaml is not valid\n"
    )


def test_a_negative_theme_weight_is_accepted_and_ranks_that_theme_lower(run: Run, write: Write) -> None:
    write("pulse.yaml", "ranking:\n  themes: {funding: -2.5}\n")
    write("digests/a.yaml", ITEM + _item("b").replace("[funding]", "[safety]"))
    result = run("list", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["b", "a"]


# --- front matter ----------------------------------------------------------------------------


@pytest.mark.usefixtures("sample_project")
@pytest.mark.parametrize(
    ("kind", "draft", "line"),
    [
        ("jekyll", True, "published: false"),
        ("jekyll", False, "published: true"),
        ("hugo", True, "draft: true"),
        ("hugo", False, "draft: false"),
    ],
)
def test_a_draft_is_unpublished_in_each_site_generators_own_key(run: Run, kind: str, draft: bool, line: str) -> None:
    result = run("digest", "--format", "markdown", "--front-matter", kind, *(["--draft"] if draft else []))
    assert result.exit_code == 0
    head = result.stdout.split("\n---\n", 1)[0].splitlines()
    assert line in head
    assert not any(entry.startswith("draft:" if kind == "jekyll" else "published:") for entry in head)


# --- bullets: entities -----------------------------------------------------------------------

BULLETS = """items:
  - id: intel
    title: Intel chips
    summary: Intelligence at the edge gets cheaper as Intel cuts prices.
    date: 2026-03-16
    themes: [hardware]
    entities: [Intel]
  - id: meta
    title: Forecasts
    summary: Metaculus forecasters expect a new model this year.
    date: 2026-03-16
    themes: [safety]
    entities: [Meta]
  - id: ionna
    title: Charging network
    summary: The carmaker-backed network opened its 700th site.
    date: 2026-03-16
    themes: [edge]
    entities: [IONNA, Rivian]
  - id: nscale
    title: Nscale
    summary: UK's NSCALE raises money.
    date: 2026-03-16
    themes: [funding]
    entities: [Nscale]
"""


def _bullets(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("- ")]


def test_entities_are_bolded_only_as_whole_words(run: Run, write: Write) -> None:
    write("digests/a.yaml", BULLETS)
    result = run("digest", "--format", "markdown")
    assert result.exit_code == 0
    bullets = _bullets(result.stdout)
    assert "- Intelligence at the edge gets cheaper as **Intel** cuts prices." in bullets
    assert "- **Meta:** Metaculus forecasters expect a new model this year." in bullets
    assert "- UK's **NSCALE** raises money." in bullets


def test_a_bullet_whose_text_never_names_its_entity_is_led_by_it(run: Run, write: Write) -> None:
    write("digests/a.yaml", BULLETS)
    result = run("digest", "--format", "markdown")
    assert result.exit_code == 0
    assert "- **IONNA:** The carmaker-backed network opened its 700th site." in _bullets(result.stdout)


# --- messages that say how to fix ------------------------------------------------------------


def test_a_yaml_merge_key_says_merge_keys_are_unsupported_and_how_to_write_it(run: Run, write: Write) -> None:
    write(
        "digests/a.yaml",
        "base: &base\n  date: 2026-03-16\n  themes: [funding]\nitems:\n  - <<: *base\n    id: a\n    title: A\n",
    )
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/a.yaml:5:5: merge keys ('<<: *name') are not supported; write the keys of the anchored mapping "
        "out in this one (each item is read as written)\n"
        "1 error in 1 of 1 file\n"
    )


def test_an_unquoted_colon_in_a_title_says_to_quote_it(run: Run, write: Write) -> None:
    write("digests/a.yaml", ITEM.replace("title: A", "title: Acme: the deal"))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/a.yaml:3:16: YAML syntax error: a ':' inside a value; quote text that contains ': '\n"
        "1 error in 1 of 1 file\n"
    )


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("1e3", "write 1000 or 1.0e+3"),
        ("-2.5E2", "write -250 or -2.5e+2"),
        ("5e-1", "write 0.5 or 5.0e-1"),
    ],
)
def test_a_number_yaml_reads_as_text_says_how_to_write_it(run: Run, write: Write, written: str, advice: str) -> None:
    write("digests/a.yaml", ITEM + f"    boost: {written}\n")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"digests/a.yaml:6:12: 'boost' must be a number, not text (YAML reads {written} as text: {advice})\n"
        "1 error in 1 of 1 file\n"
    )


# --- the project of a data folder; a stale schema ----------------------------------------------

CLIMATE = "items:\n  - id: a\n    title: A\n    date: 2026-03-16\n    themes: [climate]\n"


def test_data_given_from_another_folder_uses_that_projects_pulse_yaml(
    run: Run, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("climate/pulse.yaml", "name: Climate Weekly\nthemes:\n  climate: {title: Climate}\n")
    write("climate/digests/a.yaml", CLIMATE)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = run("list", "--data", str(tmp_path / "climate" / "digests"), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("a,2026-03-16,climate,A,")


def test_data_without_a_project_says_how_to_point_at_its_pulse_yaml(run: Run, write: Write) -> None:
    write("orphan/digests/a.yaml", CLIMATE)
    hint = (
        "hint: no pulse.yaml in orphan/digests or a folder above it, so pulse used the built-in themes; "
        "if a project's pulse.yaml defines these themes, pass --config PATH/pulse.yaml\n"
    )
    unknown = (
        "orphan/digests/a.yaml:5:14: unknown theme 'climate' (known themes: funding, hardware, edge, sector, safety)\n"
    )
    listed = run("list", "--data", "orphan/digests")
    assert listed.exit_code == 1
    assert listed.stderr == unknown + "error: 1 error in 1 of 1 file\n" + hint
    checked = run("check", "--data", "orphan/digests")
    assert checked.exit_code == 1
    assert checked.stderr == unknown + hint + "1 error in 1 of 1 file\n"


def test_check_warns_when_pulse_schema_json_is_stale_for_the_themes(run: Run, write: Write) -> None:
    write("pulse.yaml", "themes:\n  climate: {title: Climate}\n")
    write("digests/a.yaml", CLIMATE)
    schema = run("schema")
    assert schema.exit_code == 0
    write("pulse.schema.json", schema.stdout)
    fresh = run("check")
    assert (fresh.exit_code, fresh.stderr) == (0, "ok: 1 item and 0 digests in 1 file\n")
    write("pulse.yaml", "themes:\n  climate: {title: Climate, aliases: [env]}\n")
    stale = run("check")
    assert stale.exit_code == 0
    assert stale.stderr == (
        "warning: pulse.schema.json does not match the themes and fields of pulse.yaml; "
        "update it: pulse schema > pulse.schema.json\n"
        "ok: 1 item and 0 digests in 1 file\n"
    )


# --- ids and invisible characters --------------------------------------------------------------


def _item(item_id: str, title: str = "A") -> str:
    return f'  - id: "{item_id}"\n    title: "{title}"\n    date: 2026-03-16\n    themes: [funding]\n'


@pytest.mark.parametrize(
    ("item_id", "message"),
    [
        (
            "<script>",
            "id '<script>' holds '<' at character 1; ids are letters, digits, '-', '_' and '.', "
            "starting with a letter or digit (e.g. 'script')",
        ),
        (
            "../../etc/passwd",
            "id '../../etc/passwd' holds '.' at character 1; ids are letters, digits, '-', '_' and '.', "
            "starting with a letter or digit (e.g. 'etc-passwd')",
        ),
        (
            "gebe\u0301ude",
            "id 'gebe\u0301ude' has a decomposed letter at character 4 (Unicode NFD); write it composed (NFC), as U+00E9 'é'",
        ),
    ],
)
def test_check_refuses_an_id_that_breaks_the_id_rule_with_its_position_and_fix(
    run: Run, write: Write, item_id: str, message: str
) -> None:
    write("digests/a.yaml", "items:\n" + _item(item_id))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == f"digests/a.yaml:2:9: {message}\n1 error in 1 of 1 file\n"


def test_ids_in_any_script_with_dots_and_underscores_are_accepted(run: Run, write: Write) -> None:
    write("digests/a.yaml", "items:\n" + _item("gebäude_2.0") + _item("київ-ai") + _item("東京-ai"))
    result = run("check")
    assert (result.exit_code, result.stderr) == (0, "ok: 3 items and 0 digests in 1 file\n")


def test_ids_that_differ_only_in_case_are_duplicates(run: Run, write: Write) -> None:
    write("digests/a.yaml", "items:\n" + _item("upper-case"))
    write("digests/b.yaml", "items:\n" + _item("UPPER-Case"))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/b.yaml:2:9: duplicate id 'UPPER-Case' ('upper-case' at digests/a.yaml:2:9); "
        "ids must be unique whatever their case\n"
        "1 error in 1 of 2 files\n"
    )


def test_add_transliterates_the_title_into_the_id(run: Run, write: Write) -> None:
    write("digests/a.yaml", ITEM)
    result = run("add", "--title", "Ørsted wins €5B Łódź deal", "--theme", "funding", "--date", "2026-03-16")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "orsted-wins-5b-lodz-deal\n"


def test_add_refuses_an_id_taken_in_another_case(run: Run, write: Write) -> None:
    write("digests/a.yaml", ITEM)
    result = run("add", "--title", "B", "--theme", "funding", "--id", "A", "--date", "2026-03-16")
    assert result.exit_code == 1
    assert "id 'A' is taken (by digests/a.yaml:2); choose another" in result.stderr


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_bidi_and_invisible_characters_in_item_text_are_refused_with_their_position(
    run: Run, write: Write, char: str, name: str
) -> None:
    write("digests/a.yaml", "items:\n" + _item("a", f"Safe {char}exe.gnp"))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"digests/a.yaml:3:12: 'title' holds the invisible character U+{ord(char):04X} ({name}) at character 6; "
        "remove it\n1 error in 1 of 1 file\n"
    )


def test_zero_width_joiners_stay_allowed_for_scripts_and_emoji(run: Run, write: Write) -> None:
    write("digests/a.yaml", "items:\n" + _item("a", "Family 👨\u200d👩\u200d👧 and می\u200cخواهم"))
    assert run("check").exit_code == 0


def test_add_refuses_an_invisible_character_and_writes_nothing(run: Run, write: Write) -> None:
    path = write("digests/a.yaml", ITEM)
    result = run("add", "--title", "Safe \u202eexe.gnp", "--theme", "funding", "--date", "2026-03-16")
    assert result.exit_code == 1
    assert (
        "'title' holds the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 6; remove it"
        in result.stderr
    )
    assert path.read_text(encoding="utf-8") == ITEM


# --- matching regardless of case and accents ---------------------------------------------------

MATCHING = """items:
  - id: octopus-kraken
    title: Octopus Energy spins out Kraken
    summary: The Gebäude retrofit arm grows in Zürich.
    date: 2026-03-16
    themes: [funding]
    entities: [Octopus Energy, Kraken]
    tags: [Résilience]
  - id: northvolt-poland-sale
    title: Northvolt sells its Polish unit
    date: 2026-03-16
    themes: [sector]
    entities: [Lyten, Northvolt]
  - id: orsted-wind
    title: Wind farm sold
    date: 2026-03-16
    themes: [funding]
    entities: [Ørsted A/S]
"""


def _ids(csv: str) -> list[str]:
    return [line.split(",")[0] for line in csv.splitlines()[1:]]


@pytest.mark.parametrize("query", ["gebaude", "GEBÄUDE", "zurich retrofit", "resilience"])
def test_search_ignores_case_and_accents(run: Run, write: Write, query: str) -> None:
    write("digests/a.yaml", MATCHING)
    result = run("list", "--search", query, "--format", "csv")
    assert result.exit_code == 0
    assert _ids(result.stdout) == ["octopus-kraken"]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("octopus", ["octopus-kraken"]),
        ("OCTOPUS ENERGY", ["octopus-kraken"]),
        ("lyten", ["northvolt-poland-sale"]),
        ("orsted", ["orsted-wind"]),
    ],
)
def test_entity_matches_a_name_or_its_first_words(run: Run, write: Write, query: str, ids: list[str]) -> None:
    write("digests/a.yaml", MATCHING)
    result = run("list", "--entity", query, "--format", "csv")
    assert result.exit_code == 0
    assert _ids(result.stdout) == ids


def test_an_entity_that_matches_nothing_suggests_the_close_names(run: Run, write: Write) -> None:
    write("digests/a.yaml", MATCHING)
    result = run("list", "--entity", "octopos")
    assert result.exit_code == 0
    assert result.stderr == (
        "no items match the selection (3 items in the corpus)\n"
        "no item names the entity 'octopos' (did you mean 'Octopus Energy'?)\n"
    )


def test_show_suggests_ids_that_look_alike_or_whose_item_names_the_text(run: Run, write: Write) -> None:
    write("digests/a.yaml", MATCHING)
    result = run("show", "lyten")
    assert result.exit_code == 1
    assert result.stderr == "error: no item with id 'lyten' (did you mean 'northvolt-poland-sale'?)\n"
    typo = run("show", "octopus-krakn")
    assert typo.exit_code == 1
    assert typo.stderr == "error: no item with id 'octopus-krakn' (did you mean 'octopus-kraken'?)\n"


def test_show_finds_an_id_whatever_its_case(run: Run, write: Write) -> None:
    write("digests/a.yaml", MATCHING)
    result = run("show", "Octopus-Kraken", "--format", "json")
    assert result.exit_code == 0
    assert '"id": "octopus-kraken"' in result.stdout


# --- terminals: TERM=dumb, NO_COLOR, narrow widths ---------------------------------------------


def on_terminal(args: list[str], cwd: Path, env: Mapping[str, str], columns: int = 80) -> tuple[int, str, str]:
    """Run pulse with stdout on a pseudo-terminal of `columns` columns: exit status, what it showed, stderr."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environ = {**os.environ, "PYTHONPATH": str(REPO), **env}
    for name in ("COLUMNS", "NO_COLOR", "PULSE_DATA", "PULSE_CONFIG"):
        if name not in env:
            environ.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "pulse", *args], cwd=cwd, stdout=follower, stderr=subprocess.PIPE, env=environ
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    return process.wait(), shown.decode().replace("\r\n", "\n"), stderr


LINKED = ITEM + "    sources: [https://example.com/a]\n"


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}])
def test_dumb_terminals_and_no_color_get_no_colours_and_no_links(
    tmp_path: Path, write: Write, env: dict[str, str]
) -> None:
    write("digests/a.yaml", LINKED)
    for args in (["show", "a"], ["list"], ["digest"]):
        status, shown, _ = on_terminal(args, tmp_path, env)
        assert status == 0
        assert "\x1b" not in shown, args  # neither a colour (ESC [) nor an OSC 8 link (ESC ])
    _, shown, _ = on_terminal(["show", "a"], tmp_path, env)
    assert "https://example.com/a" in shown


def test_a_colour_terminal_gets_colours_and_links(tmp_path: Path, write: Write) -> None:
    write("digests/a.yaml", LINKED)
    status, shown, _ = on_terminal(["show", "a"], tmp_path, {"TERM": "xterm-256color"})
    assert status == 0
    assert "\x1b]8;" in shown and "\x1b[" in shown


def test_list_on_80_columns_says_which_columns_it_left_out(tmp_path: Path, write: Write) -> None:
    entities = "entities: [Some Very Long Company Name Holdings, Another Company]"
    write("digests/a.yaml", ITEM.replace("themes: [funding]", f"themes: [funding, hardware]\n    {entities}"))
    status, shown, stderr = on_terminal(["list", "--explain"], tmp_path, {"TERM": "dumb"}, columns=80)
    assert status == 0
    assert stderr == (
        "note: 80 columns leave out date, themes, entities, amount; "
        "widen the terminal, pass --width, or use --format csv for every column\n"
    )
    lines = shown.splitlines()
    assert lines[0].split() == [
        "title",
        "┃",
        "score",
        "┃",
        "impor",
        "┃",
        "recen",
        "┃",
        "money",
        "┃",
        "sourc",
        "┃",
        "theme",
        "┃",
        "boost",
    ]
    assert max(len(line) for line in lines) <= 80
    status, shown, stderr = on_terminal(["list"], tmp_path, {"TERM": "dumb"}, columns=120)
    assert (status, stderr) == (0, "")
    assert shown.splitlines()[0].split()[::2] == ["date", "themes", "title", "entities", "amount", "score"]


# --- the HTML email: preheader, "view online", the plain-text alternative ------------------------


@pytest.mark.usefixtures("sample_project")
def test_the_plain_text_issue_matches_its_golden_file(run: Run, golden: Callable[[str, str], None]) -> None:
    result = run("digest", "--format", "text")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "**" not in result.stdout and "<p" not in result.stdout
    golden("sample-email.txt", result.stdout)


@pytest.mark.usefixtures("sample_project")
def test_the_html_email_starts_with_a_hidden_preheader_from_the_topic(run: Run) -> None:
    result = run("digest", "--format", "html")
    assert result.exit_code == 0
    first = result.stdout.split("<body", 1)[1].split("\n")[1]  # the first line of the body
    assert first.startswith('<div style="display:none;')
    assert first.split(">", 1)[1].startswith(
        "Foundational model funding, AI infrastructure buildout, and chip/data center ecosystem shifts\u00a0\u200c"
    )


def test_view_online_comes_from_pulse_yaml_with_the_issues_week(run: Run, write: Write) -> None:
    write("pulse.yaml", "email:\n  view_online: https://example.com/{year}/{week}/\n")
    write("digests/a.yaml", ITEM)
    html = run("digest", "--format", "html")
    assert html.exit_code == 0
    assert (
        '<a href="https://example.com/2026/2026-W12/" style="color:#6b7280;">View this issue online</a>' in html.stdout
    )
    text = run("digest", "--format", "text")
    assert "View this issue online: https://example.com/2026/2026-W12/\n" in text.stdout
    flag = run("digest", "--format", "html", "--view-online", "https://example.com/special")
    assert '<a href="https://example.com/special"' in flag.stdout


def test_without_a_view_online_address_the_slot_is_left_out(run: Run, write: Write) -> None:
    write("digests/a.yaml", ITEM)
    result = run("digest", "--format", "html")
    assert result.exit_code == 0
    assert "View this issue online" not in result.stdout


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "https://example.com/{issue}/",
            "view_online 'https://example.com/{issue}/' may hold only {date}, {week} and {year} in braces "
            "(e.g. https://example.com/issues/{week}/)",
        ),
        (
            "example.com/{week}",
            "view_online 'example.com/{week}' is not an http(s) URL (write it like https://example.com/{week}/)",
        ),
    ],
)
def test_a_bad_view_online_pattern_is_refused_at_its_line(run: Run, write: Write, pattern: str, message: str) -> None:
    write("pulse.yaml", f"email:\n  view_online: '{pattern}'\n")
    write("digests/a.yaml", ITEM)
    result = run("digest", "--format", "html")
    assert result.exit_code == 1
    assert result.stderr == f"pulse.yaml:2:16: {message}\nerror: pulse.yaml is not valid\n"


def test_a_view_online_flag_that_is_not_a_web_address_is_a_usage_error(run: Run, write: Write) -> None:
    write("digests/a.yaml", ITEM)
    result = run("digest", "--format", "html", "--view-online", "javascript:alert(1)")
    assert result.exit_code == 2
    assert result.stderr == "error: --view-online 'javascript:alert(1)' is not an http(s) URL\n"


@pytest.mark.usefixtures("sample_project")
def test_html_and_text_make_a_multipart_email_that_reads_back_as_written(run: Run) -> None:
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    html = run("digest", "--format", "html").stdout
    text = run("digest", "--format", "text").stdout
    message = EmailMessage()
    message["Subject"] = "AI Infrastructure, Chips & Mega Funding"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    parts = [part.get_content() for part in parsed.iter_parts()]  # type: ignore[attr-defined]
    assert parts == [text, html]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("**Bold** and *italic*", "Bold and italic"),
        ("Read [the post](https://example.com/p) now", "Read the post <https://example.com/p> now"),
        ("<https://example.com>", "<https://example.com>"),
        ("[bad](javascript:alert(1))", "bad"),
    ],
)
def test_plain_text_drops_markdown_markers_and_spells_out_links(markdown: str, text: str) -> None:
    from pulse.render.templates import plain_text

    assert plain_text(markdown) == text
