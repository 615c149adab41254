using Atlas.Backup.Apis;
using Atlas.Backup.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBackupApi();

await app.RunAsync();
