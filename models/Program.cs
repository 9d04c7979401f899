using Simd.Models.Cli;

return ModelsApp.Run(args, Console.Out, Console.Error);
