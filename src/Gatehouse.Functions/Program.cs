using Gatehouse.Functions;

GatehouseApp.Build(args).Run();
