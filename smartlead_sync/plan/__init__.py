"""Desired and live state -> the Plan: identity, normalization, diffs, status, safety,
estimate, fingerprints and the plan file. Pure functions of their inputs."""
