"""camunda:properties read by one rule, and a task's Mutu Baku time from them."""

from __future__ import annotations

from lxml import etree

from converters.bpmn.names import text_check
from converters.bpmn.properties import duration_from_properties, read_properties
from converters.model import Duration

TASK = b"""<bpmn:userTask xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="t">
  <bpmn:extensionElements>
    <camunda:properties>
      <camunda:property name="waktu" value="1 hari"/>
      <camunda:property name="waktu" value="2 hari"/>
      <camunda:property value="tanpa nama"/>
      <camunda:property name="output"/>
    </camunda:properties>
    <camunda:properties><camunda:property name="langkah" value="3"/></camunda:properties>
  </bpmn:extensionElements>
</bpmn:userTask>"""


def test_first_value_of_a_repeated_name_wins_and_nameless_properties_are_skipped() -> None:
    props = read_properties(etree.fromstring(TASK))
    assert props == {"waktu": "1 hari", "output": "", "langkah": "3"}


def test_no_extension_elements_means_no_properties() -> None:
    assert read_properties(etree.fromstring(b"<task/>")) == {}


def test_iso_alone_gives_the_minutes_and_the_text_decides_working_days() -> None:
    day = duration_from_properties({"waktu_iso": "P1D"})
    assert (day.max_minutes, day.working_days) == (480, True)
    legal_day = duration_from_properties({"waktu": "1 x 24 jam", "waktu_iso": "PT24H"})
    assert (legal_day.max_minutes, legal_day.working_days) == (1440, False)
    assert legal_day.text == "1 x 24 jam"


def test_stored_minutes_win_over_the_iso_while_the_text_is_unchanged() -> None:
    props = {"waktu": "x", "waktu_cek": text_check("x"), "waktu_iso": "P9D"}
    props["waktu_menit_maks"] = "30"
    assert duration_from_properties(props).max_minutes == 30


def test_no_time_at_all_is_an_empty_duration() -> None:
    assert duration_from_properties({"waktu": "-"}) == Duration("-")
