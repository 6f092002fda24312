"""Pick the cheapest valid Fargate task size that covers what the pod needs.

The table is AWS's (mapping-reference 1.1); the 32 vCPU row that cfn-lint knows is not a Fargate
size and is never emitted. Cheapest = lowest CPU first, then lowest memory, which is also the
lowest price because both dimensions are billed linearly.
"""

from __future__ import annotations

FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}
MAX_SIZE = (16384, 122880)


def fargate_size(need_cpu: int, need_memory: int) -> tuple[int, int] | None:
    """The cheapest (cpu, memory) covering the need, or None when no Fargate size is big enough."""
    for cpu in sorted(FARGATE_SIZES):
        if cpu < need_cpu:
            continue
        for memory in FARGATE_SIZES[cpu]:
            if memory >= need_memory:
                return cpu, memory
    return None


def is_valid_size(cpu: int, memory: int) -> bool:
    return memory in FARGATE_SIZES.get(cpu, ())


DEFAULT_CPU = 256  # per container without cpu requests or limits
DEFAULT_MEMORY = 512
# Service Connect runs a proxy in every task; its CPU and memory come out of the task size.
SERVICE_CONNECT_CPU = 256
SERVICE_CONNECT_MEMORY = 64


def container_need(cpu: int | None, memory: int | None) -> tuple[int, int]:
    return (cpu if cpu else DEFAULT_CPU), (memory if memory else DEFAULT_MEMORY)


def pod_need(app: list[tuple[int, int]], inits: list[tuple[int, int]]) -> tuple[int, int]:
    """Kubernetes effective pod need: max(sum of app containers, largest init container)."""
    cpu = sum(c for c, _ in app)
    memory = sum(m for _, m in app)
    for init_cpu, init_memory in inits:
        cpu, memory = max(cpu, init_cpu), max(memory, init_memory)
    return cpu, memory
