"""Mediation visits to villages (深入村组开展矛盾纠纷调解工作)."""
