"""What must hold: the rule catalog and its parameters, the facts, the durable-rules rulesets and the reconciler.

Flow of one run (`core.compliance.run_compliance`): database → facts (`rules.facts`) →
durable-rules evaluation (`rules.engine`, rulesets in `rules.rulesets`) → findings →
alerts (`rules.reconciler`) → a `RuleRun` record.
"""
