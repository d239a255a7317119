"""Rule packs: checks (Python measurements over flow graphs) apart from rules (YAML data: thresholds,
severity, message, law references), as axe-core does it.

  checks/     one module per family; each check registers itself by name with its options schema
  packs/      the shipped packs (core, us-ftc, us-ca, de, eu, uk) and their test fixtures
  pack.py     loading a pack and its `extends` chain, validation, the deterministic merge
  engine.py   evaluating a merged pack over flow graphs: findings and per-rule outcomes
  testing.py  `auditor rules test`: fixtures prove each rule fires and stays quiet
"""
