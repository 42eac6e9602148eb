"""Checking a Disclosure: rules with stable ids, findings with locations, one tolerance policy.

``registry.run(disclosure, config)`` gives the findings; ``registry.all_rules()`` the rule index;
``commands.register(app)`` adds `cnbudget check` and `cnbudget rules`.
"""
