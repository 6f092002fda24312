"""Shared fixtures: real validators (one reused cfn-lint Runner, botocore's ECS model)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

# `@pytest.mark.needs(...)`: skipped on a clone without the corpus, Chromium or kubectl; failed when CI=true.
from tests.support.needs import pytest_configure, pytest_runtest_setup  # noqa: F401 (hooks pytest finds here)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def moto() -> Iterator[tuple[Any, Callable[[str], Any]]]:
    """One in-process moto (no network) for the session, and boto3 clients made once (each costs 0.1 s to build)."""
    import boto3
    from moto import mock_aws

    from tests.support.aws_replay import REGION

    made: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in made:
            made[service] = boto3.client(service, region_name=REGION)
        return made[service]

    with mock_aws() as mock:
        yield mock, client


@pytest.fixture
def aws(moto: tuple[Any, Callable[[str], Any]]) -> Any:
    """A fresh moto account with a VPC, two subnets in two zones and a certificate: the parameters."""
    mock, client = moto
    mock.reset()  # what mock_aws does between tests, without rebuilding the clients
    from tests.support.aws_replay import REGION, Replay

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")
               ["Subnet"]["SubnetId"] for i, zone in enumerate("ab")]
    certificate = client("acm").request_certificate(DomainName="example.com")["CertificateArn"]
    lattice = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name",
                                                          "Values": [f"com.amazonaws.{REGION}.vpc-lattice"]}])
    return Replay(client, {"VpcId": vpc, "Subnets": subnets, "LoadBalancerSubnets": subnets,
                           "VpcLatticePrefixListId": lattice["PrefixLists"][0]["PrefixListId"]},
                  by_suffix={"CertificateArn": certificate, "Address": "prometheus.example.internal"})
