# Appended to the reference of exercise 09 by tests/attacks/test_grader_claims.py.
#
# The attack: the choose_k feedback said "1,500 other hidden customers come from 3 segments"
# (and the README says the main set, about 2000 customers, has 4), so a resubmission answered
# by the size of the table and got full marks. The test fills in the lookup: the one reported,
# {2000: 4}.get(len(features), 3), and a variant keyed on the other set's old size. Now both
# hidden sets have 2000 customers and the feedback names neither size nor number of segments:
# either lookup answers 4 on both sets, right on one: 92.5.

LOOKUP = ({2000: 4}, 3)  # the variant: ({1500: 3}, 4)


def choose_k(features, k_min=2, k_max=8, seed=0):
    table, default = LOOKUP
    return table.get(len(features), default)
