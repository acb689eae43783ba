# One image for both clipbot processes; docker-compose.yml picks the command (bot or worker).
#   docker build -t clipbot .
FROM node:20-bookworm-slim

# ffmpeg encodes the clips. libvulkan1 lets onnxruntime-node's bundled WebGPU provider reach an NVIDIA
# GPU through Vulkan, and the NVIDIA Vulkan driver loads through the glvnd loaders (libglvnd0 libglx0
# libegl1). The NVIDIA container toolkit mounts the driver's own files when the container asks for the
# "graphics" capability (docker-compose.yml does).
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core libvulkan1 libglvnd0 libglx0 libegl1 \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them. .npmrc keeps
# onnxruntime-node-install=skip: the CPU and WebGPU providers ship inside the npm package, and the
# CUDA provider (a download from outside the npm registry) is not fetched.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

# Sources and the bundled model (what goes in is decided by .dockerignore). They stay owned by root
# and read-only to the node user; only data/ is writable, for the private Redis the launcher may start.
COPY . .
RUN mkdir -p data && chown node:node data

USER node
# TypeScript runs through tsx, a runtime dependency.
CMD ["node", "--import", "tsx", "worker/main.ts"]
