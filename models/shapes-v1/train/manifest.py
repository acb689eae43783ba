"""model.json for shapes-v1: what the generic ONNX pipeline needs to run this model."""

TIERS = [
    # memoryMB: peak resident memory of the whole process (Node, onnxruntime, model, one generation at
    # this tier, CPU provider) measured by bench:model, rounded up with about 25% headroom.
    # expectedMs: one clip, generation plus MP4 encoding, measured by bench:model on 2 vCPUs (AMD EPYC)
    # with the CPU provider (the model card's "total" column); `auto` scales it to the machine it runs on.
    {'name': 'low', 'width': 64, 'height': 64, 'frames': 8, 'steps': 12, 'memoryMB': 256, 'expectedMs': 590},
    {'name': 'medium', 'width': 128, 'height': 128, 'frames': 12, 'steps': 16, 'memoryMB': 384,
     'expectedMs': 2960},
    {'name': 'high', 'width': 192, 'height': 192, 'frames': 16, 'steps': 20, 'memoryMB': 640,
     'expectedMs': 9840},
]


def build(sha256, info):
    return {
        'schema': 1,
        'name': 'shapes-v1',
        'description': 'A small text-to-video model of a captioned shapes world, trained by the clipbot team.',
        'components': {
            'textEncoder': {'file': 'text_encoder.onnx', 'sha256': sha256['text_encoder.onnx']},
            'denoiser': {'file': 'denoiser_step.onnx', 'sha256': sha256['denoiser_step.onnx']},
            'decoder': {'file': 'decoder.onnx', 'sha256': sha256['decoder.onnx']},
        },
        'tokenizer': {'type': 'word', 'vocab': 'vocab.json', 'sha256': sha256['vocab.json'], 'maxLength': 16,
                      'padId': 0, 'bosId': 1, 'lowercase': True},
        'latent': {'channels': 12, 'downscale': 8, 'frameNoiseCorrelation': 0.5},
        'scheduler': {'type': 'flow-euler', 'shift': 2.0},
        'defaults': {'tier': 'medium', 'guidance': 4.0, 'seed': 0},
        'limits': {'maxSteps': 50, 'minSteps': 1, 'maxGuidance': 15, 'maxRunMs': 600000},
        'fps': 8,
        'tiers': TIERS,
        'training': info,
    }
