Feature: A changed source file that no coverage report mentions is never counted as covered
  The sample merge request also changes src/report.js, which no test ever loaded, so the
  coverage report does not mention it. Such a file must be named, not silently treated as 100%.

  Background:
    Given the inventory merge request with its coverage report

  Scenario: The unmeasured file is named and weighs on the verdict
    Given the team requires 70% coverage on new code
    When the quality gate checks the merge request
    Then the new-code coverage gate warns
    And "src/report.js" is listed as a changed source file in no coverage report
    And "src/report.js" is not counted among the covered new lines

  Scenario: The team makes an unmeasured file a failure
    Given the team requires 70% coverage on new code and fails on files no report measured
    When the quality gate checks the merge request
    Then the merge request is blocked
    And "src/report.js" is listed as a changed source file in no coverage report
