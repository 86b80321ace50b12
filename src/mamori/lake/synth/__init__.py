"""A seeded, deterministic synthetic Japanese world for the demo, the tests and the benchmarks."""

from mamori.lake.synth.world import SynthConfig, WorldSummary, build_world

__all__ = ["SynthConfig", "WorldSummary", "build_world"]
