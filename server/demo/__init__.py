"""The deterministic Luodian county (罗甸县) 2023 demo dataset and the seed figures it reproduces."""
