using Atlas.ServiceDefaults.Messaging;

namespace Atlas.ServiceDefaults.Tests.Messaging;

/// <summary>Name-based ids are stable across processes and releases: a redelivery after an upgrade must still match.</summary>
public sealed class NameBasedIdsTests
{
    [Theory]
    [InlineData("atlas-gateway:update:42:reply", "4a76ac72-4e2a-81a1-8d3e-1663e08986d4")]
    [InlineData("atlas-moderation:message:-100:7:action:0", "402bfb3a-8fd1-8079-8967-5b6db82e456a")]
    public void A_name_always_gives_the_same_version_8_uuid(string name, string expected)
    {
        var id = NameBasedIds.From(name);

        id.Should().Be(Guid.Parse(expected), "the ids published before this release must match the ones published after it");
        id.Version.Should().Be(8);
        (id.Variant & 0b1100).Should().Be(0b1000, "the RFC 9562 variant");
    }

    [Fact]
    public void Different_names_give_different_ids() =>
        NameBasedIds.From("atlas-gateway:update:1:reply").Should().NotBe(NameBasedIds.From("atlas-gateway:update:2:reply"));
}
