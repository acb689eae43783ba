export { VideoService, type VideoServiceDeps } from './video-service.ts';
