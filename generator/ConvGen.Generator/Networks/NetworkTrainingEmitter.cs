using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Networks;

/// <summary>
/// The training members of a network (<c>ITrainableNetwork</c>). Inference reuses the arena; training cannot, since
/// every layer's backward pass reads its own input and output, so each layer's output gets its own slot of the
/// activations buffer (a residual target two: its layer's output before the add and the sum after it), and each slot
/// a gradient slot of the same size at the same offset. A flatten is a view here too: it shares its input's slots.
/// Backward walks the layers in reverse, each layer turning the gradient of its output into that of its input; a
/// residual's gradient reaches its source through the add, after the layer that reads the source has written its own.
/// </summary>
internal static class NetworkTrainingEmitter
{
    /// <summary>Where one step's values and gradients live during training.</summary>
    private sealed class Slots
    {
        public string Final = "";          // the step's output after any residual add
        public string Layer = "";          // what its layer wrote (differs from Final for residual targets)
        public string FinalGradient = "";  // gradient of Final
        public string LayerGradient = "";  // gradient of Layer
        public bool FinalGradientReadOnly;
    }

    public static long TrainingSize(NetworkPlan plan, out long[] offsets, out long[] preOffsets)
    {
        int n = plan.Steps.Length;
        offsets = new long[n];
        preOffsets = new long[n];
        long size = 0;
        for (int i = 0; i < n; i++)
        {
            NetworkStep step = plan.Steps[i];
            offsets[i] = preOffsets[i] = -1;
            if (step.Target == StepTarget.View)
            {
                continue;
            }

            if (step.ResidualSource >= 0)
            {
                preOffsets[i] = size;
                size += step.Out.Size;
            }

            if (step.Target != StepTarget.Output)
            {
                offsets[i] = size;
                size += step.Out.Size;
            }
        }

        return size;
    }

    public static void Write(CodeWriter w, NetworkPlan plan)
    {
        string name = plan.Type.ClassName;
        long size = TrainingSize(plan, out long[] offsets, out long[] preOffsets);
        Slots[] slots = Resolve(plan, offsets, preOffsets);

        w.Line();
        w.Line("/// <summary>Floats per sample ForwardTraining keeps for Backward: every layer's output but the last (a residual target's twice, before and after the add).</summary>");
        w.Line($"public const int TrainingSize = {N(size)};");
        w.Line();
        w.Line("/// <summary>Floats per sample Backward needs for the gradients of the kept outputs (the same layout as TrainingSize).</summary>");
        w.Line($"public const int GradientSize = {N(size)};");
        w.Line();
        w.Line("/// <summary>Floats ForwardTraining and Backward need for a batch: batch x TrainingSize, each.</summary>");
        w.Line("public static int TrainingLength(int batch) => checked(batch * TrainingSize);");
        w.Line();
        w.Line("int global::ConvGen.ITrainableNetwork.InputSize => InputSize;");
        w.Line("int global::ConvGen.ITrainableNetwork.OutputSize => OutputSize;");
        w.Line("int global::ConvGen.ITrainableNetwork.TrainingSize => TrainingSize;");
        w.Line("int global::ConvGen.ITrainableNetwork.GradientSize => GradientSize;");
        w.Line();
        w.Line("private global::ConvGen.Training.Parameter[]? _parameters;");
        w.Line();
        w.Line("/// <summary>Every learnable tensor, named as in PyTorch's state_dict (conv1.weight, ...), over the layers' own storage.</summary>");
        w.Line("public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.Training.Parameter> Parameters => _parameters ??= global::ConvGen.Internal.TrainingSupport.Collect(Modules());");

        WriteForwardTraining(w, plan, name, slots);
        WriteBackward(w, plan, name, slots);
        WriteFindNonFinite(w, plan, slots);
    }

    private static Slots[] Resolve(NetworkPlan plan, long[] offsets, long[] preOffsets)
    {
        int n = plan.Steps.Length;
        var slots = new Slots[n];
        string previous = "input", previousGradient = "";
        for (int i = 0; i < n; i++)
        {
            NetworkStep step = plan.Steps[i];
            var s = new Slots();
            if (step.Target == StepTarget.View)
            {
                s.Final = s.Layer = previous;
                slots[i] = s;
                continue;
            }

            long count = step.Out.Size;
            s.Final = offsets[i] >= 0 ? Slice("activations", offsets[i], count) : "output";
            s.FinalGradient = offsets[i] >= 0 ? Slice("gradients", offsets[i], count) : "outputGradient";
            s.FinalGradientReadOnly = offsets[i] < 0;
            s.Layer = preOffsets[i] >= 0 ? Slice("activations", preOffsets[i], count) : s.Final;
            s.LayerGradient = preOffsets[i] >= 0 ? Slice("gradients", preOffsets[i], count) : s.FinalGradient;
            previous = s.Final;
            previousGradient = s.FinalGradient;
            slots[i] = s;
        }

        // A view shares the slots (and so the gradient) of the step it views.
        for (int i = 0; i < n; i++)
        {
            if (plan.Steps[i].Target == StepTarget.View)
            {
                int j = i - 1;
                while (j >= 0 && plan.Steps[j].Target == StepTarget.View)
                {
                    j--;
                }

                slots[i].FinalGradient = slots[i].LayerGradient = j >= 0 ? slots[j].FinalGradient : "inputGradient";
            }
        }

        return slots;
    }

    private static string Slice(string buffer, long offset, long count)
        => $"{buffer}.Slice({(offset == 0 ? "0" : "batch * " + N(offset))}, batch * {N(count)})";

    private static void WriteForwardTraining(CodeWriter w, NetworkPlan plan, string name, Slots[] slots)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The forward pass of a training step: as Forward, but every layer's output is kept in <paramref name=\"activations\"/>");
        w.Line("/// (at least TrainingLength(batch) floats) for Backward. Allocates nothing.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not match the batch; the message names expected and actual.</exception>");
        using (w.Block("public void ForwardTraining(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batch, global::System.Span<float> activations)"))
        {
            w.Line($"global::ConvGen.Internal.TrainingSupport.CheckTraining(\"{name}\", batch, input.Length, InputSize, output.Length, OutputSize, activations.Length, TrainingSize, \"activations\");");
            for (int i = 0; i < plan.Steps.Length; i++)
            {
                NetworkStep step = plan.Steps[i];
                Slots s = slots[i];
                w.Line();
                w.Line($"// {step.FieldName}: {step.Computes}, {step.In.Text} -> {step.Out.Text}");
                if (step.Target == StepTarget.View)
                {
                    w.Line("// (a view: nothing moves)");
                    if (s.Final == "input" && i == plan.Steps.Length - 1)
                    {
                        w.Line("input.CopyTo(output);");
                    }

                    continue;
                }

                string source = i == 0 ? "input" : slots[i - 1].Final;
                w.Line($"{step.FieldName}.Forward({source}, {step.In.Literal("batch")}, {s.Layer});");
                if (step.ResidualSource >= 0)
                {
                    w.Line($"// The residual keeps the layer's own output for its backward pass and adds {plan.Steps[step.ResidualSource].FieldName} into a copy.");
                    w.Line($"{s.Layer}.CopyTo({s.Final});");
                    w.Line($"global::ConvGen.Internal.NetworkOps.AddInPlace({s.Final}, {slots[step.ResidualSource].Final}, global::ConvGen.Activation.{(LayerActivation)step.ResidualActivation}, {F(step.ResidualSlope)});");
                }
            }
        }
    }

    private static void WriteBackward(CodeWriter w, NetworkPlan plan, string name, Slots[] slots)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Back-propagates <paramref name=\"outputGradient\"/> (the loss gradient with respect to <paramref name=\"output\"/>) through");
        w.Line("/// every layer of the ForwardTraining call that produced <paramref name=\"activations\"/> and <paramref name=\"output\"/>,");
        w.Line("/// adding each parameter's gradient to its Parameter.Gradient. <paramref name=\"gradients\"/> (at least TrainingLength(batch)");
        w.Line("/// floats) holds the gradients of the layer outputs; <paramref name=\"inputGradient\"/> is written unless empty. Allocates nothing");
        w.Line("/// once every layer has seen the batch size.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not match the batch; the message names expected and actual.</exception>");
        using (w.Block("public void Backward(global::System.ReadOnlySpan<float> input, global::System.ReadOnlySpan<float> output, global::System.ReadOnlySpan<float> outputGradient, int batch, global::System.ReadOnlySpan<float> activations, global::System.Span<float> gradients, global::System.Span<float> inputGradient)"))
        {
            w.Line($"global::ConvGen.Internal.TrainingSupport.CheckTraining(\"{name}\", batch, input.Length, InputSize, output.Length, OutputSize, activations.Length, TrainingSize, \"activations\");");
            w.Line($"global::ConvGen.Internal.TrainingSupport.CheckTraining(\"{name}\", batch, input.Length, InputSize, output.Length, OutputSize, gradients.Length, GradientSize, \"gradients\");");
            w.Line($"global::ConvGen.Internal.TrainingSupport.CheckGradient(\"{name}\", \"output gradient\", outputGradient.Length, output.Length, emptyAllowed: false);");
            w.Line($"global::ConvGen.Internal.TrainingSupport.CheckGradient(\"{name}\", \"input gradient\", inputGradient.Length, input.Length, emptyAllowed: true);");

            // Residual sums whose gradient still has to reach their source: added once the source's gradient is written.
            var pending = new List<(int Source, int Target)>();
            for (int i = plan.Steps.Length - 1; i >= 0; i--)
            {
                NetworkStep step = plan.Steps[i];
                Slots s = slots[i];
                w.Line();
                w.Line($"// {step.FieldName}: {step.Computes}, {step.Out.Text} -> {step.In.Text}");
                if (step.Target == StepTarget.View)
                {
                    w.Line("// (a view: its gradient is its input's)");
                    continue;
                }

                if (step.ResidualSource >= 0)
                {
                    var act = (LayerActivation)step.ResidualActivation;
                    string a = "global::ConvGen.Activation." + act;
                    if (act == LayerActivation.None)
                    {
                        w.Line($"{s.FinalGradient}.CopyTo({s.LayerGradient});");
                    }
                    else if (act == LayerActivation.SiLU || (act == LayerActivation.LeakyReLU && step.ResidualSlope < 0))
                    {
                        w.Line($"// {act} after the add needs the sum before it: made again from the two addends.");
                        w.Line($"{s.Layer}.CopyTo({s.LayerGradient});");
                        w.Line($"global::ConvGen.Internal.NetworkOps.AddInPlace({s.LayerGradient}, {slots[step.ResidualSource].Final}, global::ConvGen.Activation.None, 0f);");
                        w.Line($"global::ConvGen.Internal.ActivationGradient.FromPreActivation({a}, {F(step.ResidualSlope)}, {s.LayerGradient}, {s.FinalGradient}, {s.LayerGradient});");
                    }
                    else
                    {
                        w.Line($"global::ConvGen.Internal.ActivationGradient.FromOutput({a}, {F(step.ResidualSlope)}, {s.Final}, {s.FinalGradient}, {s.LayerGradient});");
                    }

                    pending.Add((step.ResidualSource, i));
                }

                string source = i == 0 ? "input" : slots[i - 1].Final;
                string target = i == 0 ? "inputGradient" : slots[i - 1].FinalGradient;
                w.Line($"{step.FieldName}.Backward({source}, {step.In.Literal("batch")}, {s.Layer}, {s.LayerGradient}, {target});");

                // The gradient of the step before this one (through views) is now written: add the residual sums it feeds.
                int written = i - 1;
                while (written >= 0 && plan.Steps[written].Target == StepTarget.View)
                {
                    written--;
                }

                foreach ((int from, int to) in pending.ToArray())
                {
                    if (from == written)
                    {
                        w.Line($"// The residual into {plan.Steps[to].FieldName}: its sum's gradient flows back to {plan.Steps[from].FieldName} unchanged.");
                        w.Line($"global::ConvGen.Internal.NetworkOps.AddInPlace({slots[from].FinalGradient}, {slots[to].LayerGradient}, global::ConvGen.Activation.None, 0f);");
                        pending.Remove((from, to));
                    }
                }
            }
        }
    }

    private static void WriteFindNonFinite(CodeWriter w, NetworkPlan plan, Slots[] slots)
    {
        w.Line();
        w.Line("/// <summary>The first layer, in forward order, whose kept output holds a NaN or an infinity; null when all are finite.</summary>");
        using (w.Block("public string? FindNonFinite(global::System.ReadOnlySpan<float> activations, global::System.ReadOnlySpan<float> output, int batch)"))
        {
            for (int i = 0; i < plan.Steps.Length; i++)
            {
                NetworkStep step = plan.Steps[i];
                if (step.Target == StepTarget.View)
                {
                    continue;
                }

                if (slots[i].Layer != slots[i].Final)
                {
                    w.Line($"if (!global::ConvGen.Internal.TrainingSupport.AllFinite({slots[i].Layer})) return \"{step.FieldName}\";");
                }

                w.Line($"if (!global::ConvGen.Internal.TrainingSupport.AllFinite({slots[i].Final})) return \"{step.FieldName}\";");
            }

            w.Line("return null;");
        }
    }

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
