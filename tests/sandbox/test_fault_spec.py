"""`sandbox serve --faults SPEC`: the rules parsed, refused with what is accepted, and applied
to calls by operation, count, rate and time window."""

from __future__ import annotations

import pytest

from lee_console.sandbox.wire.faults import FaultPlan, FaultRule, FaultSpecError, parse_spec


def test_a_spec_of_several_rules() -> None:
    rules = parse_spec(
        "throttle@DescribeTable,rate=0.5; latency@PutItem,ms=2000,after=30,count=8;"
        " down,from=10s,for=2m; limit@DescribeContinuousBackups,rps=10"
    )
    assert rules == (
        FaultRule("throttle", frozenset({"DescribeTable"}), rate=0.5),
        FaultRule("latency", frozenset({"PutItem"}), ms=2000.0, after=30, count=8),
        FaultRule("down", start=10.0, end=130.0),
        FaultRule("limit", frozenset({"DescribeContinuousBackups"}), rps=10.0),
    )
    assert parse_spec("  ") == ()


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("meteor", "Unknown fault 'meteor'"),
        ("throttle@Describe-Table", "Bad operation 'Describe-Table'"),
        ("throttle,rate=2", "rate must be a number from 0 to 1"),
        ("throttle,rate=nan", "rate must be a number from 0 to 1"),
        ("throttle,rate=0", "rate must be above 0"),
        ("throttle,colour=red", "Bad option 'colour=red'"),
        ("throttle,rate", "Bad option 'rate'"),
        ("down,from=2m,until=1m", "ends before it starts"),
        ("down,from=soon", "Bad duration 'soon'"),
        ("down,until=1m,for=1m", "Give until= or for=, not both"),
        ("down,for=9999h", "over 7 days"),
        ("latency@PutItem", "A latency rule needs ms=N"),
        ("limit", "A limit rule needs rps=N"),
        ("5xx,after=-1", "Expected a whole number"),
        ("5xx,count=\u0661", "Expected a whole number"),  # an Arabic-Indic one
    ],
)
def test_bad_specs_are_refused_with_what_is_accepted(spec: str, says: str) -> None:
    with pytest.raises(FaultSpecError, match=says.replace("(", r"\(")):
        parse_spec(spec)


def test_after_and_count_pick_which_calls_are_hit() -> None:
    plan = FaultPlan(parse_spec("5xx@PutItem,after=2,count=3"))
    hits = [plan.decide("PutItem").fault for _ in range(7)]
    assert hits == [None, None, "5xx", "5xx", "5xx", None, None]
    assert plan.decide("GetItem").fault is None


def test_a_rate_is_a_seeded_share_of_the_calls() -> None:
    def draws(seed: int) -> list[str | None]:
        plan = FaultPlan(parse_spec(f"throttle,rate=0.3,seed={seed}"))
        return [plan.decide("Scan").fault for _ in range(1000)]

    assert draws(1) == draws(1)
    assert 250 < draws(1).count("throttle") < 350


def test_latency_adds_to_the_fault_that_follows() -> None:
    plan = FaultPlan(parse_spec("latency,ms=250; throttle@Scan"))
    assert (plan.decide("Scan").fault, plan.decide("Scan").delay_seconds) == ("throttle", 0.25)
    assert (plan.decide("Query").fault, plan.decide("Query").delay_seconds) == (None, 0.25)


def test_a_window_is_measured_from_when_the_spec_was_set(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr("lee_console.sandbox.wire.faults.time.monotonic", lambda: clock[0])
    plan = FaultPlan(parse_spec("down,from=10s,for=2m"))
    seen = {}
    for elapsed in (0, 9.9, 10, 129.9, 130, 500):
        clock[0] = 100.0 + elapsed
        seen[elapsed] = plan.decide("DescribeTable").fault
    assert seen == {0: None, 9.9: None, 10: "down", 129.9: "down", 130: None, 500: None}
    clock[0] = 1000.0
    plan.replace(parse_spec("expired,until=1m"))
    assert plan.decide("ListTables").fault == "expired"


def test_a_limit_throttles_beyond_its_calls_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr("lee_console.sandbox.wire.faults.time.monotonic", lambda: clock[0])
    plan = FaultPlan(parse_spec("limit@DescribeContinuousBackups,rps=10"))
    first_second = [plan.decide("DescribeContinuousBackups").fault for _ in range(12)]
    assert first_second.count("limit") == 2
    clock[0] = 1.01
    assert plan.decide("DescribeContinuousBackups").fault is None
