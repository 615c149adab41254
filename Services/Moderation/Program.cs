using Atlas.Moderation.Apis;
using Atlas.Moderation.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapModerationApi();

await app.RunAsync();
