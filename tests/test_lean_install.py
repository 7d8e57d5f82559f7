"""``pip install prakerja`` is the client alone: the wheel's core requirements, what ``import prakerja``
loads, and the message each missing extra gives."""

from __future__ import annotations

import ast
import email.parser
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import prakerja
from prakerja._extras import EXTRAS, Extra, MissingExtraError, require_extra
from prakerja._renamed import RENAMED

ROOT = Path(__file__).resolve().parents[1]
CORE = {"httpx", "attrs", "cattrs", "anyio"}
#: Never in the core requirements: the sandbox, the testing kit, the contract checks, the command line.
NOT_CORE = {
    "flask",
    "gunicorn",
    "hypothesis",
    "hypothesis-jsonschema",
    "jsonschema",
    "jsonschema-rs",
    "pyyaml",
    "click",
    "pytest",
    "respx",
    "schemathesis",
}
#: Modules a production program must not load by importing the client.
HEAVY = (
    "yaml",
    "click",
    "flask",
    "werkzeug",
    "jsonschema",
    "jsonschema_rs",
    "hypothesis",
    "gunicorn",
)


def _name(requirement: str) -> str:
    for stop in "<>=!~[; ":
        requirement = requirement.split(stop, 1)[0]
    return requirement.strip().lower().replace("_", "-")


@pytest.fixture(scope="module")
def metadata(built_wheel: Path) -> email.message.Message:
    wheel = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


@pytest.mark.slow
def test_the_wheel_requires_only_the_client_libraries_without_an_extra(
    metadata: email.message.Message,
) -> None:
    requirements = metadata.get_all("Requires-Dist") or []
    core = {_name(r) for r in requirements if "extra ==" not in r}

    assert core == CORE
    assert not core & NOT_CORE


@pytest.mark.slow
def test_each_extra_brings_what_its_feature_imports(metadata: email.message.Message) -> None:
    extras = set(metadata.get_all("Provides-Extra") or [])
    assert {"contract", "sandbox", "testing", "cli", "dev"} <= extras
    by_extra: dict[str, set[str]] = {}
    for requirement in metadata.get_all("Requires-Dist") or []:
        if "extra ==" in requirement:
            extra = requirement.rsplit("extra ==", 1)[1].strip().strip("'\"")
            by_extra.setdefault(extra, set()).add(_name(requirement))
    distribution = {
        "yaml": "pyyaml",
        "jsonschema_rs": "jsonschema-rs",
        "hypothesis_jsonschema": "hypothesis-jsonschema",
    }
    features: tuple[Extra, ...] = ("contract", "sandbox", "testing", "cli")
    for feature in features:
        wanted = {distribution.get(module, module) for module in EXTRAS[feature]}
        assert wanted <= by_extra[feature], feature
        # the dev extra (what ./dev installs) holds every other one
        assert by_extra[feature] <= by_extra["dev"], feature


def _loaded_after(statement: str) -> set[str]:
    program = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", program], check=True, capture_output=True, text=True)
    return {line.split(".", 1)[0] for line in result.stdout.split()}


@pytest.mark.parametrize(
    "statement",
    [
        "import prakerja",
        "from prakerja import PrakerjaClient, AsyncPrakerjaClient, errors, models",
        "import prakerja.testing.plugin",
    ],
)
def test_importing_the_client_loads_no_sandbox_checker_or_cli_library(statement: str) -> None:
    # httpx itself imports click when its optional command line is installed; only what we add counts
    ours = _loaded_after(statement) - _loaded_after("import httpx, attrs, cattrs")

    assert not ours & set(HEAVY)


def test_import_prakerja_defers_the_client_until_a_name_is_used() -> None:
    loaded = _loaded_after("import prakerja")
    assert "httpx" not in loaded
    used = _loaded_after("import prakerja; prakerja.PrakerjaClient")
    assert "httpx" in used


def _modules_after(statement: str) -> set[str]:
    program = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", program], check=True, capture_output=True, text=True)
    return set(result.stdout.split())


#: What the first client loads and importing the client class does not (bench/import_time.py times both).
LOADED_BY_THE_FIRST_CLIENT = {"prakerja.models", "prakerja._requests", "prakerja.resources"}
#: The error classes: loaded by the first refusal (or by an operation module naming one of them).
ERROR_CLASSES = {"prakerja.errors", "prakerja._generated_errors"}


def test_importing_the_client_class_defers_models_checks_errors_and_the_converter() -> None:
    loaded = _modules_after("from prakerja import PrakerjaClient, AsyncPrakerjaClient")
    assert not loaded & (LOADED_BY_THE_FIRST_CLIENT | ERROR_CLASSES)
    assert not {name.partition(".")[0] for name in loaded} & {"cattrs", "anyio"}

    first_call = _modules_after(
        "import httpx\n"
        "from prakerja import PrakerjaClient\n"
        "answer = httpx.Response(200, json={'success': True, 'data': {'schedule_code': 'S', 'course_code': 'C',"
        " 'quota': 3}})\n"
        "with PrakerjaClient(client_code='LP-X', sign_key='k', base_url='http://127.0.0.1:1',"
        " transport=httpx.MockTransport(lambda request: answer)) as client:\n"
        "    assert client.payments.quota(schedule_code='S', course_code='C').quota == 3"
    )
    assert first_call >= LOADED_BY_THE_FIRST_CLIENT
    assert "cattrs" in first_call  # request bodies are written by it


def test_every_lazy_name_is_the_one_the_type_checker_sees() -> None:
    tree = ast.parse((ROOT / "sdk/prakerja/__init__.py").read_text(encoding="utf-8"))
    checked: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    checked[alias.name] = f"{statement.module}"
    # the deprecated old names are re-exported to type checkers too, outside __all__ (tests/sdk/test_naming.py)
    assert set(checked) - set(prakerja.__all__) == set(RENAMED)
    assert set(checked) - set(RENAMED) | {"__version__"} == set(prakerja.__all__)
    for name, module in checked.items():
        if name in RENAMED:
            continue
        value = getattr(prakerja, name)
        expected = getattr(sys.modules[module], name)
        assert value is expected, name


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'PrakerjaKlient'"):
        _ = prakerja.PrakerjaKlient


_WITHOUT = textwrap.dedent(
    """
    import sys
    class _Absent:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == {module!r}:
                raise ModuleNotFoundError(name)
            return None
    sys.meta_path.insert(0, _Absent())
    for name in [n for n in sys.modules if n.partition(".")[0] == {module!r}]:
        del sys.modules[name]
    try:
        {statement}
    except ImportError as error:
        print(type(error).__name__, error)
    else:
        print("imported")
    """
)


@pytest.mark.parametrize(
    ("module", "statement", "extra"),
    [
        ("flask", "import prakerja_sandbox", "sandbox"),
        ("hypothesis", "import prakerja.contract_check", "contract"),
        ("click", "import prakerja.cli", "cli"),
        ("yaml", "import prakerja.contract; prakerja.contract.load_contract()", "contract"),
        ("flask", "from prakerja.testing import LocalSandbox; LocalSandbox.in_process()", "testing"),
    ],
)
def test_a_missing_extra_names_the_extra_to_install(module: str, statement: str, extra: str) -> None:
    program = _WITHOUT.format(module=module, statement=statement)
    result = subprocess.run([sys.executable, "-c", program], check=True, capture_output=True, text=True)

    assert result.stdout.startswith("MissingExtraError"), result.stdout + result.stderr
    assert f"pip install 'prakerja[{extra}]'" in result.stdout
    assert module in result.stdout


def test_the_plugin_loads_without_the_testing_extra() -> None:
    # pytest loads the plugin of every installed prakerja; a client-only install must not break a DP's tests
    program = _WITHOUT.format(module="flask", statement="import prakerja.testing.plugin")
    result = subprocess.run([sys.executable, "-c", program], check=True, capture_output=True, text=True)
    assert result.stdout.strip() == "imported"


def test_require_extra_passes_when_installed_and_the_error_pickles() -> None:
    import pickle

    require_extra("contract", "checks")
    error = MissingExtraError("checks", "contract", ("hypothesis",))
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error)
    assert again.extra == "contract"
