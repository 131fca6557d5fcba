"""Every configuration model derives from the one strict base, and the base refuses what it must."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from pydantic import BaseModel, ValidationError

import cohort_tools
from cohort_tools.citydata.config import CityConfig
from cohort_tools.core.config import StrictModel
from cohort_tools.model.coaching import Commitment

#: The packages that hold configuration read from files (programme, cohort, city.yaml, coaching log).
CONFIG_PACKAGES = (
    "cohort_tools.core",
    "cohort_tools.model",
    "cohort_tools.policy",
    "cohort_tools.citydata",
    "cohort_tools.kit",
)


def _models() -> list[type[BaseModel]]:
    for package in CONFIG_PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            importlib.import_module(info.name)
    found: list[type[BaseModel]] = []
    todo = list(BaseModel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith(cohort_tools.__name__ + "."):
            found.append(cls)
    return found


def test_every_configuration_model_is_strict_and_frozen() -> None:
    models = _models()
    assert {m.__name__ for m in models} >= {"Programme", "Cohort", "City", "CityConfig", "Entry"}
    loose = [
        f"{m.__module__}.{m.__name__}"
        for m in models
        if not issubclass(m, StrictModel)
        or m.model_config.get("extra") != "forbid"
        or not m.model_config.get("frozen")
    ]
    assert not loose, f"derive these from cohort_tools.core.config.StrictModel: {loose}"


def test_a_misspelt_field_is_an_error_not_ignored() -> None:
    with pytest.raises(ValidationError, match="suppresion_threshold"):
        CityConfig.model_validate(
            {
                "id": "x",
                "name": "X",
                "country": "US",
                "population": 1,
                "timezone": "America/Chicago",
                "suppresion_threshold": 5,
            }
        )


def test_a_loaded_model_cannot_be_changed_in_place() -> None:
    import datetime as dt

    item = Commitment(text="Draft", owner_role="coach", due=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="frozen"):
        item.status = "done"
    assert item.model_copy(update={"status": "done"}).status == "done"
