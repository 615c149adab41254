using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>The CAS stand-in: the list's <c>check</c> answer shapes, its bad-input answer, and the control API.</summary>
public sealed class CasStandIn : IAsyncLifetime
{
    private SandboxHost? _host;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _http = new HttpClient { BaseAddress = _host.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_listed_user_is_ok_true_with_a_result_and_anyone_else_ok_false_and_each_check_is_counted()
    {
        (await Http.PutAsync(new Uri("sandbox/cas/users/42", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var listed = await Http.GetFromJsonAsync<JsonObject>(new Uri("cas/check?user_id=42", UriKind.Relative));
        var unlisted = await Http.GetFromJsonAsync<JsonObject>(new Uri("cas/check?user_id=43", UriKind.Relative));

        listed!["ok"]!.GetValue<bool>().Should().BeTrue();
        listed["result"]!["offenses"]!.GetValue<int>().Should().Be(1);
        listed["result"]!["time_added"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        unlisted!["ok"]!.GetValue<bool>().Should().BeFalse();
        unlisted["description"]!.GetValue<string>().Should().Be("Record not found.");
        var control = await Http.GetFromJsonAsync<JsonObject>(new Uri("sandbox/cas/users/43", UriKind.Relative));
        control!["listed"]!.GetValue<bool>().Should().BeFalse();
        control["checks"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task A_user_id_that_is_not_a_number_is_a_400_with_ok_false()
    {
        using var response = await Http.GetAsync(new Uri("cas/check?user_id=abc", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["ok"]!.GetValue<bool>().Should().BeFalse();
    }
}
