"""The report capability's pure domain: modules, policies, cases, decision rules, masking."""
