"""Every vocabulary mapping, typed out from the monitor's definitions (issue 17, item 6).

The expected tables are written here by hand from domain.md and the 2016 letter, not derived
from the code, so that moving one code (``verzuim`` out of "adverse", ``db-lid`` to another
layer) fails a test instead of passing unnoticed.
"""

from __future__ import annotations

import pytest

from vpt_monitor import Area, Consequence, Group, Layer, Measure, Office
from vpt_monitor._codes import GROUPS, LAYERS, OFFICES

STATE, PROVINCE, MUNICIPALITY, WATER_BOARD = "rijk", "provincie", "gemeente", "waterschap"

OFFICE_LAYERS = {
    "ambtenaar": {STATE, PROVINCE, MUNICIPALITY, WATER_BOARD},
    "burgemeester": {MUNICIPALITY},
    "wethouder": {MUNICIPALITY},
    "raadslid": {MUNICIPALITY},
    "cdk": {PROVINCE},
    "gedeputeerde": {PROVINCE},
    "statenlid": {PROVINCE},
    "dijkgraaf": {WATER_BOARD},
    "db-lid": {WATER_BOARD},
    "ab-lid": {WATER_BOARD},
}
POLITICAL = {
    "burgemeester",
    "wethouder",
    "raadslid",
    "cdk",
    "gedeputeerde",
    "statenlid",
    "dijkgraaf",
    "db-lid",
    "ab-lid",
}
ADVERSE = {
    "minder-werkplezier",
    "psychische-klachten",
    "gedrag-aangepast",
    "lichamelijk-letsel",
    "verzuim",
}
AGGRESSION_MEASURES = {  # the VPT employer measures
    "agressiebeleid",
    "norm-gecommuniceerd",
    "registratie-incidenten",
    "aangifte-werkgever",
    "nazorg",
    "training-agressie",
    "schadeverhaal",
}
INTEGRITY_MEASURES = {  # Ambtenarenwet art. 125quater and the letter's integrity measures
    "integriteitsbeleid",
    "gedragscode",
    "eed-belofte",
    "kwetsbare-functies",
    "risicoanalyse",
    "functiescheiding",
    "vog",
    "nevenwerkzaamheden",
    "financiele-belangen",
    "vertrouwenspersoon",
    "meldprocedure",
    "registratie-schendingen",
    "training-integriteit",
}


def test_the_tables_cover_every_code() -> None:
    assert set(OFFICE_LAYERS) == {o.value for o in Office}
    assert ADVERSE | {"besluitvorming-beinvloed"} == {c.value for c in Consequence}
    assert {m.value for m in Measure} == AGGRESSION_MEASURES | INTEGRITY_MEASURES
    assert not AGGRESSION_MEASURES & INTEGRITY_MEASURES


@pytest.mark.parametrize("office", list(Office))
def test_office_layers(office: Office) -> None:
    assert {layer.value for layer in office.layers} == OFFICE_LAYERS[office.value]


@pytest.mark.parametrize("office", list(Office))
def test_office_group(office: Office) -> None:
    expected = Group.POLITICAL if office.value in POLITICAL else Group.EMPLOYEE
    assert office.group is expected
    assert office.political is (office.value in POLITICAL)


@pytest.mark.parametrize("consequence", list(Consequence))
def test_consequence_adverse(consequence: Consequence) -> None:
    assert consequence.adverse is (consequence.value in ADVERSE)


@pytest.mark.parametrize("measure", list(Measure))
def test_measure_area(measure: Measure) -> None:
    expected = Area.AGGRESSION if measure.value in AGGRESSION_MEASURES else Area.INTEGRITY
    assert measure.area is expected


def test_the_column_tables_follow_the_vocabularies() -> None:
    from vpt_monitor._codes import OFFICE_GROUP, OFFICE_IN_LAYER

    for i, office in enumerate(OFFICES):
        assert GROUPS[OFFICE_GROUP[i]] is (
            Group.POLITICAL if office.value in POLITICAL else Group.EMPLOYEE
        )
        for j, layer in enumerate(LAYERS):
            assert bool(OFFICE_IN_LAYER[i, j]) is (layer.value in OFFICE_LAYERS[office.value])


@pytest.mark.parametrize(("office", "layers"), sorted(OFFICE_LAYERS.items()))
def test_records_and_columns_refuse_an_office_outside_its_layers(
    office: str, layers: set[str]
) -> None:
    from vpt_monitor import MonitorData, MonitorDataError, Respondent

    for layer in Layer:
        if layer.value in layers:
            Respondent("r", 2016, layer, office)
            continue
        with pytest.raises(ValueError, match="does not exist in layer"):
            Respondent("r", 2016, layer, office)
        with pytest.raises(MonitorDataError, match=f"does not exist in layer '{layer.value}'"):
            MonitorData.from_columns(
                {"id": ["r"], "wave": [2016], "layer": [layer.value], "office": [office]}
            )
