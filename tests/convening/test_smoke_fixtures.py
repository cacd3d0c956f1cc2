def test_each_role_fixture_has_its_role(programme, lead, facilitator, member):
    roles = dict(programme.memberships.values_list("user__email", "role"))
    assert roles == {
        "lead@example.org": "lead",
        "facilitator@example.org": "facilitator",
        "member@example.org": "member",
    }
