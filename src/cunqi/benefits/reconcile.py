"""Replay the journal and compare every balance derived from it with what the rows say.

Each check is one SQL query that returns only discrepancies, so a province's journal
(millions of lines) is reconciled without bringing it into Python. Amounts are compared
rounded to the fen: SQLite sums decimals as floating point.
"""

from dataclasses import dataclass

from django.db import connections

from cunqi.benefits.services.ledger import PAYEE_ACCOUNT, PROJECT_ACCOUNT


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.check}: {self.subject}: expected {self.expected}, found {self.found}"


# Every entry has lines, and they sum to zero.
ENTRIES = """
SELECT 'entry balances', 'entry ' || CAST(e.id AS TEXT), '0.00',
       CAST(ROUND(COALESCE(SUM(l.amount), 0), 2) AS TEXT) || ' over ' || CAST(COUNT(l.id) AS TEXT) || ' lines'
  FROM benefits_journalentry e LEFT JOIN benefits_journalline l ON l.entry_id = e.id
 GROUP BY e.id
HAVING COUNT(l.id) = 0 OR ROUND(COALESCE(SUM(l.amount), 0), 2) <> 0
"""

# A distribution's entries follow its status: none before posting, one posting once
# posted, a posting and its reversal once reversed.
STATUSES = """
SELECT 'entries follow the status', 'distribution ' || CAST(d.id AS TEXT),
       CASE d.status WHEN 'posted' THEN '1 posting' WHEN 'reversed' THEN '1 posting, 1 reversal'
                     ELSE 'no entries' END,
       CAST(SUM(CASE WHEN e.kind = 'posting' THEN 1 ELSE 0 END) AS TEXT) || ' posting, '
       || CAST(SUM(CASE WHEN e.kind = 'reversal' THEN 1 ELSE 0 END) AS TEXT) || ' reversal'
  FROM benefits_distribution d LEFT JOIN benefits_journalentry e ON e.distribution_id = d.id
 GROUP BY d.id, d.status
HAVING SUM(CASE WHEN e.kind = 'posting' THEN 1 ELSE 0 END)
         <> CASE WHEN d.status IN ('posted', 'reversed') THEN 1 ELSE 0 END
    OR SUM(CASE WHEN e.kind = 'reversal' THEN 1 ELSE 0 END)
         <> CASE WHEN d.status = 'reversed' THEN 1 ELSE 0 END
"""

# Payouts share out exactly the profit.
PAYOUTS = """
SELECT 'payouts share the profit', 'distribution ' || CAST(d.id AS TEXT),
       CAST(d.profit AS TEXT), CAST(ROUND(COALESCE(SUM(p.amount), 0), 2) AS TEXT)
  FROM benefits_distribution d LEFT JOIN benefits_payout p ON p.distribution_id = d.id
 GROUP BY d.id, d.profit
HAVING ROUND(COALESCE(SUM(p.amount), 0), 2) <> ROUND(d.profit, 2)
"""

# Each account's balance in the journal is what the posted distributions' payouts say.
ACCOUNTS = f"""
WITH expected AS (
  SELECT {PROJECT_ACCOUNT} AS account, -d.profit AS amount
    FROM benefits_distribution d WHERE d.status = 'posted'
  UNION ALL
  SELECT {PAYEE_ACCOUNT}, p.amount
    FROM benefits_payout p
    JOIN benefits_stake s ON s.id = p.stake_id
    JOIN benefits_distribution d ON d.id = p.distribution_id
   WHERE d.status = 'posted'
), sides AS (
  SELECT account, amount AS owed, 0 AS booked FROM expected
  UNION ALL
  SELECT account, 0, amount FROM benefits_journalline
)
SELECT 'account balance', account, CAST(ROUND(SUM(owed), 2) AS TEXT),
       CAST(ROUND(SUM(booked), 2) AS TEXT)
  FROM sides GROUP BY account
HAVING ROUND(SUM(owed), 2) <> ROUND(SUM(booked), 2)
"""

# A distribution follows its own project's structure: the structure is the project's,
# each payout is for one of its stakes, and a household is paid only from the villagers'
# stake of its own village.
STRUCTURES = """
SELECT 'the structure is the project''s', 'distribution ' || CAST(d.id AS TEXT),
       'a structure of project ' || CAST(d.project_id AS TEXT),
       'structure ' || CAST(s.id AS TEXT) || ' of project ' || CAST(s.project_id AS TEXT)
  FROM benefits_distribution d JOIN benefits_equitystructure s ON s.id = d.structure_id
 WHERE s.project_id <> d.project_id
UNION ALL
SELECT 'payouts follow the structure', 'payout ' || CAST(p.id AS TEXT),
       'a stake of structure ' || CAST(d.structure_id AS TEXT),
       'stake ' || CAST(st.id AS TEXT) || ' of structure ' || CAST(st.structure_id AS TEXT)
  FROM benefits_payout p
  JOIN benefits_distribution d ON d.id = p.distribution_id
  JOIN benefits_stake st ON st.id = p.stake_id
 WHERE st.structure_id <> d.structure_id
UNION ALL
SELECT 'households paid in their village', 'payout ' || CAST(p.id AS TEXT),
       'a household of village ' || CAST(st.village_id AS TEXT) || ' under a villagers'' stake',
       'household ' || CAST(h.id AS TEXT) || ' of village ' || CAST(h.village_id AS TEXT)
       || ' under a ' || st.holder || ' stake'
  FROM benefits_payout p
  JOIN benefits_stake st ON st.id = p.stake_id
  JOIN registry_household h ON h.id = p.household_id
 WHERE st.holder <> 'villagers' OR h.village_id <> st.village_id
"""

# The funds' running totals are the sums of the rows they total.
BUDGETS = """
SELECT 'budget allocated', 'budget ' || CAST(b.id AS TEXT),
       CAST(ROUND(COALESCE(SUM(a.amount), 0), 2) AS TEXT), CAST(b.allocated AS TEXT)
  FROM funds_fundbudget b LEFT JOIN funds_allocation a ON a.budget_id = b.id
 GROUP BY b.id, b.allocated
HAVING ROUND(COALESCE(SUM(a.amount), 0), 2) <> ROUND(b.allocated, 2)
"""
ALLOCATIONS = """
SELECT 'allocation disbursed', 'allocation ' || CAST(a.id AS TEXT),
       CAST(ROUND(COALESCE(SUM(x.amount), 0), 2) AS TEXT), CAST(a.disbursed AS TEXT)
  FROM funds_allocation a LEFT JOIN funds_disbursement x ON x.allocation_id = a.id
 GROUP BY a.id, a.disbursed
HAVING ROUND(COALESCE(SUM(x.amount), 0), 2) <> ROUND(a.disbursed, 2)
"""

CHECKS = (ENTRIES, STATUSES, PAYOUTS, STRUCTURES, ACCOUNTS, BUDGETS, ALLOCATIONS)


def problems(using: str = "default") -> list[Problem]:
    """Every discrepancy between the journal, the distributions and the funds' totals."""
    found = []
    with connections[using].cursor() as cursor:
        for query in CHECKS:
            cursor.execute(query)
            found += [Problem(*(str(value) for value in row)) for row in cursor.fetchall()]
    return found
