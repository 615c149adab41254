using Atlas.Gateway.Locales;
using Atlas.Gateway.Workflow;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Operators' key=value input (the completion form, /workflow start) and the workflow buttons' callback data.</summary>
public sealed class WorkflowOperatorInput
{
    [Fact]
    public void Form_lines_become_variables_with_blank_lines_skipped_and_values_trimmed()
    {
        var parsed = OperatorVariables.FromLines("decision=lift\n\n  note = checked = twice \r\nlevel=2");

        parsed.ErrorKey.Should().BeNull();
        parsed.Variables.Should().BeEquivalentTo(new Dictionary<string, string> { ["decision"] = "lift", ["note"] = "checked = twice", ["level"] = "2" });
    }

    [Fact]
    public void A_dash_completes_without_variables()
    {
        OperatorVariables.FromLines(" - ").Variables.Should().BeEmpty();
    }

    [Theory]
    [InlineData("decision lift", TextKeys.TaskFormBadLine, new object[] { 1, "decision lift" })]
    [InlineData("a=1\n=2", TextKeys.TaskFormBadLine, new object[] { 2, "=2" })]
    [InlineData("9lives=1", TextKeys.VariableBadName, new object[] { "9lives" })]
    [InlineData("my-var=1", TextKeys.VariableBadName, new object[] { "my-var" })]
    [InlineData("a=1\na=2", TextKeys.VariableDuplicate, new object[] { "a" })]
    public void Bad_form_answers_name_the_problem(string answer, string key, object[] arguments)
    {
        var parsed = OperatorVariables.FromLines(answer);

        parsed.Variables.Should().BeNull();
        parsed.ErrorKey.Should().Be(key);
        parsed.ErrorArguments.Should().Equal(arguments);
    }

    [Fact]
    public void Command_arguments_are_checked_one_by_one()
    {
        OperatorVariables.FromArguments(["userId=42", "name=ann"]).Variables.Should().HaveCount(2);
        var bad = OperatorVariables.FromArguments(["userId=42", "oops"]);
        bad.ErrorKey.Should().Be(TextKeys.WorkflowBadArgument);
        bad.ErrorArguments.Should().Equal("oops");
    }

    [Fact]
    public void Button_data_round_trips_and_stays_within_Telegrams_64_bytes()
    {
        WorkflowButtons.TryParse(WorkflowButtons.Claim("2251799813685249"), out var claim).Should().BeTrue();
        claim.Should().Be(new WorkflowButton(WorkflowButtonKind.Claim, "2251799813685249"));
        WorkflowButtons.TryParse(WorkflowButtons.Unclaim("7"), out var unclaim).Should().BeTrue();
        unclaim.Kind.Should().Be(WorkflowButtonKind.Unclaim);
        WorkflowButtons.TryParse(WorkflowButtons.Complete("7"), out var complete).Should().BeTrue();
        complete.Kind.Should().Be(WorkflowButtonKind.Complete);
        WorkflowButtons.TryParse(WorkflowButtons.Resume("complete:2251799813685249"), out var resume).Should().BeTrue();
        resume.Should().Be(new WorkflowButton(WorkflowButtonKind.Resume, "complete:2251799813685249"));
        WorkflowButtons.TryParse(WorkflowButtons.ResumeAll, out var all).Should().BeTrue();
        all.Kind.Should().Be(WorkflowButtonKind.ResumeAll);

        WorkflowButtons.Resume(new string('x', 60)).Should().BeNull("a longer id has no button; /resume <id> still works");
        WorkflowButtons.Resume(new string('x', 59)).Should().HaveLength(WorkflowButtons.MaxCallbackBytes);
        WorkflowButtons.TryParse("help", out _).Should().BeFalse();
        WorkflowButtons.TryParse("wf:x:1", out _).Should().BeFalse();
        WorkflowButtons.TryParse("wf:c:", out _).Should().BeFalse();
    }
}
