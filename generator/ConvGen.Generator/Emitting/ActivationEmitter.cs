using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// The activation as an expression around an accumulator, applied in registers right before the store: the outputs
/// are written once, already activated, with no second pass. ReLU and ReLU6 are written out (one or two min/max
/// instructions); the exp-based ones call the runtime's vector functions, whose switch on the constant kind the JIT
/// folds away when it inlines them.
/// </summary>
internal static class ActivationEmitter
{
    /// <summary><paramref name="value"/> activated; <paramref name="bits"/> is the vector width, 0 for a scalar float.</summary>
    public static string Wrap(LayerGeometry g, string value, int bits)
    {
        string v = bits == 0 ? "" : $"Vector{bits}";
        string zero = bits == 0 ? "0f" : $"Vector{bits}<float>.Zero";
        return g.Activation switch
        {
            LayerActivation.None => value,
            LayerActivation.ReLU => bits == 0 ? $"Math.Max({value}, 0f)" : $"{v}.Max({value}, {zero})",
            LayerActivation.ReLU6 => bits == 0 ? $"Math.Min(Math.Max({value}, 0f), 6f)" : $"{v}.Min({v}.Max({value}, {zero}), {v}.Create(6f))",
            _ => $"ActivationFunctions.Apply({value}, global::ConvGen.Activation.{g.Activation}, {LayerText.F(g.Activation == LayerActivation.LeakyReLU ? g.NegativeSlope : 0f)})",
        };
    }
}
