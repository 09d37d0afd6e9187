Feature: The new-code coverage gate decides whether a merge request may merge
  A merge request must cover at least the team's minimum share of the lines it adds or
  changes. The sample merge request covers 5 of its 7 coverable new lines (71.42%).

  Background:
    Given the inventory merge request with its coverage report

  Scenario: The merge request falls short of the default 80% minimum
    When the quality gate checks the merge request
    Then the merge request is blocked
    And the new-code coverage gate fails at 71.42% against a minimum of 80%
    And the uncovered new lines "src/stock.js: 4, 14" are named

  Scenario: The merge request passes once the team lowers the minimum to 70%
    Given the team requires 70% coverage on new code and ignores files no report measured
    When the quality gate checks the merge request
    Then the merge request may merge
    And the new-code coverage gate passes at 71.42%
