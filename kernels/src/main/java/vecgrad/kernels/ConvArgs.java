package vecgrad.kernels;

/** Array-size checks shared by {@link ConvKernels} and {@link ConvReference}, run once per call before any write. */
final class ConvArgs {
    private ConvArgs() {}

    static void forward(String op, int inputLength, int inputOff, int weightLength, int weightOff, boolean hasBias,
                        int biasLength, int biasOff, int outputLength, int outputOff, ConvGeometry g) {
        geometry(op, g);
        KernelArgs.fits(op, "input", inputLength, inputOff, g.inputSize());
        KernelArgs.fits(op, "weight", weightLength, weightOff, g.weightSize());
        if (hasBias) {
            KernelArgs.fits(op, "bias", biasLength, biasOff, g.outChannels());
        }
        KernelArgs.fits(op, "output", outputLength, outputOff, g.outputSize());
    }

    static void gradInput(String op, int gradOutputLength, int gradOutputOff, int weightLength, int weightOff,
                          int gradInputLength, int gradInputOff, ConvGeometry g) {
        geometry(op, g);
        KernelArgs.fits(op, "gradOutput", gradOutputLength, gradOutputOff, g.outputSize());
        KernelArgs.fits(op, "weight", weightLength, weightOff, g.weightSize());
        KernelArgs.fits(op, "gradInput", gradInputLength, gradInputOff, g.inputSize());
    }

    static void gradWeight(String op, int inputLength, int inputOff, int gradOutputLength, int gradOutputOff,
                           int gradWeightLength, int gradWeightOff, ConvGeometry g) {
        geometry(op, g);
        KernelArgs.fits(op, "input", inputLength, inputOff, g.inputSize());
        KernelArgs.fits(op, "gradOutput", gradOutputLength, gradOutputOff, g.outputSize());
        KernelArgs.fits(op, "gradWeight", gradWeightLength, gradWeightOff, g.weightSize());
    }

    static void gradBias(String op, int gradOutputLength, int gradOutputOff, int gradBiasLength, int gradBiasOff,
                         int planes, int channels, int planeSize) {
        KernelArgs.fits(op, "gradOutput", gradOutputLength, gradOutputOff, (long) planes * planeSize);
        KernelArgs.fits(op, "gradBias", gradBiasLength, gradBiasOff, channels);
    }

    static void geometry(String op, ConvGeometry g) {
        if (g == null) {
            throw KernelArgs.fail(op, "geometry is missing", "null", "a ConvGeometry from ConvShapes");
        }
    }
}
