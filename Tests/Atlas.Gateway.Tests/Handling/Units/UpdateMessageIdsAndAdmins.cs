using Atlas.Gateway.Admin;
using Atlas.Gateway.Handling;
using Microsoft.Extensions.Configuration;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Bus message ids derived from updates, and the admin list from configuration.</summary>
public sealed class UpdateMessageIdsAndAdmins
{
    [Fact]
    public void The_same_update_and_purpose_always_give_the_same_message_id()
    {
        UpdateMessageIds.For(42, "message-posted").Should().Be(UpdateMessageIds.For(42, "message-posted"));
        UpdateMessageIds.For(42, "message-posted").Should().NotBe(UpdateMessageIds.For(43, "message-posted"));
        UpdateMessageIds.For(42, "message-posted").Should().NotBe(UpdateMessageIds.For(42, "other"));
        UpdateMessageIds.For(42, "message-posted").ToString()[14].Should().Be('8', "it is a version 8 (custom) UUID");
    }

    [Fact]
    public void Admins_come_as_a_list_or_a_comma_separated_value()
    {
        var list = AdminOptions.From(Configuration(("Gateway:Admins:0", "11"), ("Gateway:Admins:1", "12")));
        var csv = AdminOptions.From(Configuration(("Gateway:Admins", "21, 22")));

        list.Admins.Should().BeEquivalentTo([11L, 12L]);
        csv.Admins.Should().BeEquivalentTo([21L, 22L]);
        csv.IsAdmin(21).Should().BeTrue();
        csv.IsAdmin(11).Should().BeFalse();
        csv.IsAdmin(null).Should().BeFalse();
    }

    [Fact]
    public void An_admin_id_that_is_not_a_number_is_an_error_naming_the_key()
    {
        var read = () => AdminOptions.From(Configuration(("Gateway:Admins", "ann")));

        read.Should().Throw<InvalidOperationException>().WithMessage("*Gateway:Admins*'ann'*");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
