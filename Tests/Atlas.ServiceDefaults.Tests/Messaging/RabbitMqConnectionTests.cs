using Atlas.ServiceDefaults.Messaging;

namespace Atlas.ServiceDefaults.Tests.Messaging;

public sealed class RabbitMqConnectionTests
{
    [Fact]
    public void Reads_user_password_host_port_and_an_escaped_vhost()
    {
        var connection = RabbitMqConnection.Parse("amqp://atlas:p%40ss@127.0.0.1:5673/team%2Fa");

        connection.Should().Be(new RabbitMqConnection("127.0.0.1", 5673, "team/a", "atlas", "p@ss"));
    }

    [Fact]
    public void An_empty_path_is_the_default_vhost_and_the_default_port_is_5672()
    {
        var connection = RabbitMqConnection.Parse("amqp://broker");

        connection.Should().Be(new RabbitMqConnection("broker", 5672, "/", "guest", "guest"));
    }

    [Fact]
    public void Amqps_turns_tls_on_with_port_5671_by_default()
    {
        var connection = RabbitMqConnection.Parse("amqps://atlas:pw@broker.example/");

        connection.Should().Be(new RabbitMqConnection("broker.example", 5671, "/", "atlas", "pw", UseTls: true));
    }

    [Theory]
    [InlineData("host=localhost;user=x")]
    [InlineData("http://localhost:15672/")]
    public void Anything_but_an_amqp_uri_is_refused_with_the_expected_shape(string connectionString)
    {
        var parse = () => RabbitMqConnection.Parse(connectionString);

        parse.Should().Throw<FormatException>().WithMessage("*amqp://user:pass@host:port/vhost*");
    }
}
