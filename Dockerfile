# Punch rendezvous server + dashboard.
#   docker build -t punch .
#   docker run -p 5080:5080/tcp -p 3478:3478/udp -v punch-data:/data punch

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Core/Core.csproj Core/
COPY Server.Web/Server.Web.csproj Server.Web/
RUN dotnet restore Server.Web/Server.Web.csproj
# The server's sources plus the top-level wwwroot it copies to dashboard-assets/.
COPY Core/ Core/
COPY Server.Web/ Server.Web/
COPY wwwroot/ wwwroot/
RUN dotnet publish Server.Web/Server.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The database lives on a volume so history survives new containers; the app user must own it.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
ENV ASPNETCORE_URLS=http://+:5080 \
    ConnectionStrings__Punch="Data Source=/data/punch.db" \
    Rendezvous__BindAddress=0.0.0.0 \
    Rendezvous__Port=3478
EXPOSE 5080/tcp
EXPOSE 3478/udp
# Rendezvous:AlternatePort: peers measure their NAT's mapping against it.
EXPOSE 3479/udp
# Expose:ControlPort, for `punch expose --public-port` once Expose:AllowedPorts lists ports (publish those too).
EXPOSE 7000/tcp
USER $APP_UID
ENTRYPOINT ["dotnet", "Punch.Server.Web.dll"]
