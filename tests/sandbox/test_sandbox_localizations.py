"""Command sync refuses localizations Discord would refuse, and keeps the good ones readable."""

from __future__ import annotations

from typing import Any

import pytest

from discord_sandbox.commands import CommandRegistry
from discord_sandbox.errors import ApiError
from discord_sandbox.ids import SnowflakeFactory


def _command(**extra: Any) -> dict[str, Any]:
    stage = {
        "type": 3,
        "name": "stage",
        "description": "How far it got",
        "name_localizations": {"es-ES": "etapa"},
        "description_localizations": {"es-ES": "Hasta dónde llegó"},
        "choices": [
            {
                "name": "Interview",
                "value": "interview",
                "name_localizations": {"pt-BR": "Entrevista"},
            }
        ],
    }
    body = {
        "type": 1,
        "name": "rejection",
        "description": "Count rejections privately",
        "name_localizations": {"es-ES": "rechazo", "pt-BR": "rejeição"},
        "description_localizations": {"es-ES": "Cuenta tus rechazos en privado"},
        "options": [stage],
    }
    return body | extra


def _refusal(body: dict[str, Any]) -> ApiError:
    registry = CommandRegistry(SnowflakeFactory(), 1)
    with pytest.raises(ApiError) as refused:
        registry.bulk_overwrite(None, [body])
    assert (refused.value.status, refused.value.code) == (400, 50035)
    return refused.value


def test_good_localizations_are_kept_for_tests_to_read() -> None:
    registry = CommandRegistry(SnowflakeFactory(), 1)
    (stored,) = registry.bulk_overwrite(None, [_command()])
    assert stored["name_localizations"] == {"es-ES": "rechazo", "pt-BR": "rejeição"}
    (stage,) = stored["options"]
    assert stage["name_localizations"] == {"es-ES": "etapa"}
    assert stage["choices"][0]["name_localizations"] == {"pt-BR": "Entrevista"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name_localizations": {"es-ES": "Rechazo"}}, "name_localizations"),  # not lowercase
        ({"name_localizations": {"es-ES": "mis rechazos"}}, "name_localizations"),  # a space
        ({"name_localizations": {"es-ES": "r" * 33}}, "name_localizations"),
        ({"name_localizations": {"es": "rechazo"}}, "name_localizations"),  # not Discord's code
        ({"description_localizations": {"es-ES": ""}}, "description_localizations"),
        ({"description_localizations": {"es-ES": "x" * 101}}, "description_localizations"),
    ],
)
def test_a_bad_command_localization_refuses_the_whole_sync(
    change: dict[str, Any], field: str
) -> None:
    refused = _refusal(_command(**change))
    assert refused.errors is not None
    assert field in refused.errors["0"]


def test_option_and_choice_localizations_are_checked_too() -> None:
    body = _command()
    body["options"][0]["name_localizations"] = {"pt-BR": "Etapa"}
    assert "options" in (_refusal(body).errors or {})["0"]
    body = _command()
    body["options"][0]["choices"][0]["name_localizations"] = {"pt-BR": "x" * 101}
    errors = (_refusal(body).errors or {})["0"]["options"]["0"]["choices"]["0"]
    assert "name_localizations" in errors
