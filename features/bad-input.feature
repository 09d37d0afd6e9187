Feature: Bad input stops the gate with a clear error, not a crash
  A pipeline that passes a missing or unreadable report must learn what is wrong and what
  to do, with exit code 3 and no stack trace, and no verdict may be left behind: only the error
  report, which says the merge request could not be checked and why.

  Background:
    Given the inventory merge request with its coverage report

  Scenario: A coverage report that does not exist
    When the quality gate checks the merge request with the coverage report "coverage/nope.info"
    Then the check stops with exit code 3
    And the error names "coverage/nope.info" with the code "INPUT_NOT_FOUND"
    And the error says what to do
    And the error shows no stack trace
    And no verdict is written, only the error report naming "coverage/nope.info"

  Scenario: A coverage report that is not a coverage report
    Given a file "coverage/garbage.info" containing "this is not lcov {"
    When the quality gate checks the merge request with the coverage report "coverage/garbage.info"
    Then the check stops with exit code 3
    And the error names "coverage/garbage.info" with the code "INPUT_UNKNOWN_FORMAT"
    And the error shows no stack trace
