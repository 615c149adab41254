using Atlas.Gateway.Apis;
using Atlas.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapAdminApi();
app.MapTelegramWebhook();
app.MapTelegramAdminApi();

await app.RunAsync();
