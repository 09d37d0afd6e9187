Feature: The merge request comment cannot be hijacked by a scenario name
  Scenario names come from feature files anyone in the merge request can edit. When such a
  scenario fails, its name is shown in the comment, and it must read as plain text: no
  HTML, no mention of everyone, no link, no broken table.

  Background:
    Given the inventory merge request with its coverage report

  Scenario: A failed scenario with a hostile name
    Given an end-to-end run in which the scenario "<script>alert(1)</script> @all [x](javascript:alert(1)) | pipe" failed
    When the quality gate checks the merge request with that end-to-end run
    Then the merge request is blocked
    And the comment contains no "<script>"
    And the comment mentions nobody with "@all"
    And the comment contains no link to "javascript:"
    And the comment shows the failed scenario in one table row
